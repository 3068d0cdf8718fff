package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
    @Test
    void numbersCompareByValue() {
        List<String> names = new ArrayList<>(List.of("10", "2", "1", "img10", "img2", "img1b", "img1a", "100"));

        names.sort(NaturalOrder.NAMES);

        assertThat(names).containsExactly("1", "2", "10", "100", "img1a", "img1b", "img2", "img10");
    }

    @Test
    void caseIsIgnoredFirstThenBreaksTiesSoTheOrderIsTotal() {
        List<String> names = new ArrayList<>(List.of("b", "a", "B", "A", "a1", "a01", "a001", "Cat", "cat2"));
        List<String> expected = List.of("A", "a", "a001", "a01", "a1", "B", "b", "Cat", "cat2");

        for (long seed = 0; seed < 5; seed++) {
            Collections.shuffle(names, new Random(seed));
            names.sort(NaturalOrder.NAMES);
            assertThat(names).isEqualTo(expected);
        }
        assertThat(NaturalOrder.compare("a", "a")).isZero();
    }

    @Test
    void largeNumbersBeyondLongStillCompareByValue() {
        assertThat(NaturalOrder.compare("x99999999999999999999", "x100000000000000000000")).isNegative();
        assertThat(NaturalOrder.compare("007", "7")).isNegative(); // equal value: decided by the characters
        assertThat(NaturalOrder.compare("8", "007")).isPositive();
    }

    @Test
    void pathsCompareNameByName() {
        List<Path> paths = new ArrayList<>(List.of(Path.of("a b/1.png"), Path.of("a/10.png"), Path.of("a/2.png"),
                Path.of("a/sub/1.png"), Path.of("a/2/1.png")));

        paths.sort(NaturalOrder.PATHS);

        assertThat(paths).containsExactly(Path.of("a/2/1.png"), Path.of("a/2.png"), Path.of("a/10.png"),
                Path.of("a/sub/1.png"), Path.of("a b/1.png"));
    }
}
