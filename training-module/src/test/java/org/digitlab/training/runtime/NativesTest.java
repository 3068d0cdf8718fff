package org.digitlab.training.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativesTest {
    @TempDir
    Path temp;

    @Test
    void thisBuildCarriesTheCpuNatives() {
        assertThat(Natives.detect(getClass().getClassLoader())).isEqualTo(new Natives(Natives.CPU, null, null));
    }

    @Test
    void gpuNativesAreRecognisedByTheirResourceDirectoryAndNamedWithTheirCudaBuild() throws IOException {
        Path jni = temp.resolve("org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so");
        Files.createDirectories(jni.getParent());
        Files.writeString(jni, "fake");
        try (URLClassLoader gpu = new URLClassLoader(new URL[] {temp.toUri().toURL()}, null);
             URLClassLoader none = new URLClassLoader(new URL[0], null)) {
            Natives natives = Natives.detect(gpu);
            assertThat(natives.gpu()).isTrue();
            assertThat(natives.builtForCuda()).isEqualTo("12.5");
            assertThat(natives.builtForCudnn()).isEqualTo("9.3");
            assertThat(Natives.detect(none).kind()).isEqualTo(Natives.NONE);
        }
    }
}
