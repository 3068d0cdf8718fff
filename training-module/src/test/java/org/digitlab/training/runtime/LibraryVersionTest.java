package org.digitlab.training.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibraryVersionTest {
    @Test
    void comparesPartByPartWithMissingPartsAsZero() {
        assertThat(LibraryVersion.parse("12.4.127").orElseThrow()).isLessThan(LibraryVersion.of(12, 5));
        assertThat(LibraryVersion.parse("12.10").orElseThrow()).isGreaterThan(LibraryVersion.of(12, 9, 99));
        assertThat(LibraryVersion.of(9, 3, 0).atLeast(LibraryVersion.of(9, 3))).isTrue();
        assertThat(LibraryVersion.of(9, 2, 1).atLeast(LibraryVersion.of(9, 3))).isFalse();
    }

    @Test
    void parsesOnlyDottedNumbers() {
        assertThat(LibraryVersion.parse("12.4.127")).hasValue(LibraryVersion.of(12, 4, 127));
        assertThat(LibraryVersion.parse("12.x")).isEmpty();
        assertThat(LibraryVersion.parse("")).isEmpty();
        assertThat(LibraryVersion.parse(null)).isEmpty();
    }

    @Test
    void readsTheVersionARealFileNameCarriesBeyondItsSoname() {
        assertThat(LibraryVersion.fromFileName("libcudart.so.12", "libcudart.so.12.4.127"))
                .hasValue(LibraryVersion.of(12, 4, 127));
        assertThat(LibraryVersion.fromFileName("libcudnn.so.9", "libcudnn.so.9.3.0"))
                .hasValue(LibraryVersion.of(9, 3, 0));
        assertThat(LibraryVersion.fromFileName("libnvrtc-builtins.so.12.6", "libnvrtc-builtins.so.12.6.85"))
                .hasValue(LibraryVersion.of(12, 6, 85));
        assertThat(LibraryVersion.fromFileName("libcudart.so.12", "libcudart.so.12")).isEmpty();
        assertThat(LibraryVersion.fromFileName("libcudart.so.12", "libcublas.so.12.5.3")).isEmpty();
    }
}
