package org.digitlab.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.digitlab.data.ImageShape;
import org.junit.jupiter.api.Test;

class CsvOptionsTest {
    @Test
    void defaultsMatchTheKaggleLayout() {
        CsvOptions defaults = CsvOptions.defaults();
        assertThat(defaults.labelColumn()).isEqualTo(LabelColumn.first());
        assertThat(defaults.header()).isEqualTo(HeaderMode.AUTO);
        assertThat(defaults.delimiter()).isEqualTo(',');
        assertThat(defaults.pixelMax()).isEqualTo(255f);
        assertThat(defaults.shape()).isNull();
    }

    @Test
    void withMethodsChangeOneFieldEach() {
        CsvOptions o = CsvOptions.defaults().withLabelColumn(LabelColumn.last()).withHeader(HeaderMode.NO)
                .withDelimiter(';').withPixelMax(16).withShape(ImageShape.grey(8, 8));
        assertThat(o).isEqualTo(new CsvOptions(LabelColumn.last(), HeaderMode.NO, ';', 16f, ImageShape.grey(8, 8)));
    }

    @Test
    void rejectsDelimitersThatCanBePartOfANumber() {
        for (char c : new char[] {'.', '-', '5', 'e', '\n', '"'}) {
            assertThatThrownBy(() -> CsvOptions.defaults().withDelimiter(c))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("delimiter");
        }
    }

    @Test
    void rejectsNonPositivePixelMax() {
        assertThatThrownBy(() -> CsvOptions.defaults().withPixelMax(0)).hasMessageContaining("pixelMax");
        assertThatThrownBy(() -> CsvOptions.defaults().withPixelMax(Float.NaN)).hasMessageContaining("pixelMax");
    }

    @Test
    void parsesLabelColumnsAndHeaderModes() {
        assertThat(LabelColumn.parse("first")).isEqualTo(LabelColumn.first());
        assertThat(LabelColumn.parse("LAST")).isEqualTo(LabelColumn.last());
        assertThat(LabelColumn.parse("64")).isEqualTo(LabelColumn.index(64));
        assertThat(LabelColumn.parse("0")).hasToString("first");
        assertThat(LabelColumn.last().resolve(65)).isEqualTo(64);
        assertThat(LabelColumn.index(65).resolve(65)).isEqualTo(-1);
        assertThat(HeaderMode.parse("Yes")).isEqualTo(HeaderMode.YES);
        assertThatThrownBy(() -> LabelColumn.parse("middle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first, last or a 0-based index");
        assertThatThrownBy(() -> LabelColumn.parse("-2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderMode.parse("maybe")).hasMessageContaining("auto, yes or no");
    }
}
