package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void parsesListsAndRangesOfEveryKind() {
        SearchSpace space = SearchSpace.parse(Map.of("lr", "1e-4..1e-1:log", "batch_size", "32..256:pow2",
                "dropout", "0..0.5", "epochs", "1..5", "optimizer", "adam,sgd", "augment_flip", "true,false",
                "schedule", "constant,cosine:0.5", "weight_decay", "0,1e-4", "augment_rotate", "0..15",
                "augment_crop", "0..4"));
        assertThat(space.domains().get(Param.LR)).isEqualTo(
                new Domain.Range("1e-4..1e-1:log", Param.LR, 1e-4, 1e-1, Domain.Scale.LOG));
        assertThat(space.domains().get(Param.BATCH_SIZE)).isInstanceOf(Domain.Range.class);
        assertThat(((Domain.Choice) space.domains().get(Param.SCHEDULE)).values())
                .containsExactly("constant", "cosine:0.5");
        assertThat(((Domain.Choice) space.domains().get(Param.AUGMENT_FLIP)).values()).containsExactly(true, false);
        assertThat(((Domain.Choice) space.domains().get(Param.WEIGHT_DECAY)).values()).containsExactly(0.0, 1e-4);
        assertThat(space.hasRanges()).isTrue();
        assertThat(space.texts()).containsKeys("lr", "batch_size").containsEntry("dropout", "0..0.5");
        assertThat(SearchSpace.parse(space.texts())).isEqualTo(space);
    }

    @Test
    void badValuesNameTheFlagAndWhatWasExpected() {
        assertThatThrownBy(() -> parse("lr", "0.1,abc")).hasMessage("--lr: expected a number, got 'abc'");
        assertThatThrownBy(() -> parse("batch_size", "32.5")).hasMessageContaining("--batch-size: expected a whole");
        assertThatThrownBy(() -> parse("optimizer", "adam,adam")).hasMessage("--optimizer lists a value twice: adam,adam");
        assertThatThrownBy(() -> parse("optimizer", "adam..sgd")).hasMessageContaining("takes a list of values");
        assertThatThrownBy(() -> parse("lr", "0..1e-1:log")).hasMessageContaining("a log range needs low > 0");
        assertThatThrownBy(() -> parse("lr", "1e-1..1e-4")).hasMessageContaining("low must be below high");
        assertThatThrownBy(() -> parse("dropout", "0..0.5:pow2")).hasMessageContaining(":pow2 is for whole numbers");
        assertThatThrownBy(() -> parse("batch_size", "33..63:pow2")).hasMessageContaining("no power of two");
        assertThatThrownBy(() -> parse("lr", "1e-4..1e-1:cubic")).hasMessageContaining("expected low..high");
        assertThatThrownBy(() -> parse("augment_flip", "yes")).hasMessageContaining("true or false");
    }

    @Test
    void gridEnumeratesEveryCombinationWithTheFirstParameterSlowest() {
        SearchSpace space = SearchSpace.parse(new LinkedHashMap<>(Map.of("optimizer", "adam,sgd", "lr", "0.1,0.01",
                "batch_size", "32")));
        assertThat(space.gridSize()).isEqualTo(4);
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            points.add(space.gridPoint(i));
        }
        assertThat(points).containsExactly(
                Map.of("lr", 0.1, "batch_size", 32, "optimizer", "adam"),
                Map.of("lr", 0.1, "batch_size", 32, "optimizer", "sgd"),
                Map.of("lr", 0.01, "batch_size", 32, "optimizer", "adam"),
                Map.of("lr", 0.01, "batch_size", 32, "optimizer", "sgd"));
        assertThatThrownBy(() -> SearchSpace.parse(Map.of("lr", "1e-4..1e-1:log")).gridSize())
                .hasMessageContaining("--lr 1e-4..1e-1:log is a range; --search grid takes lists");
    }

    @Test
    void samplesDependOnTheSeedAndTrialIndexOnlyAndStayInTheirRanges() {
        SearchSpace space = SearchSpace.parse(Map.of("lr", "1e-4..1e-1:log", "batch_size", "32..256:pow2",
                "dropout", "0..0.5", "epochs", "1..5", "optimizer", "adam,sgd,rmsprop"));
        List<Map<String, Object>> draws = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            draws.add(space.sample(42, i));
        }
        // Same (seed, index) in another order: the same values.
        for (int i = 299; i >= 0; i -= 7) {
            assertThat(space.sample(42, i)).isEqualTo(draws.get(i));
        }
        assertThat(space.sample(43, 0)).isNotEqualTo(draws.get(0));
        assertThat(draws).extracting(d -> (double) d.get("lr")).allSatisfy(lr -> assertThat(lr).isBetween(1e-4, 1e-1))
                .anyMatch(lr -> lr < 1e-3).anyMatch(lr -> lr > 1e-2)
                .allMatch(lr -> Double.toString(lr).replaceAll("E.*|^0\\.0*|\\.", "").length() <= 4);
        assertThat(draws).extracting(d -> (int) d.get("batch_size")).containsOnly(32, 64, 128, 256)
                .contains(32, 256);
        assertThat(draws).extracting(d -> (double) d.get("dropout")).allSatisfy(x -> assertThat(x).isBetween(0.0, 0.5));
        assertThat(draws).extracting(d -> (int) d.get("epochs")).containsOnly(1, 2, 3, 4, 5).contains(1, 5);
        assertThat(draws).extracting(d -> (String) d.get("optimizer")).contains("adam", "sgd", "rmsprop");
        assertThat(draws).doesNotHaveDuplicates();
    }

    private static SearchSpace parse(String key, String text) {
        return SearchSpace.parse(Map.of(key, text));
    }
}
