package org.digitlab.app.tune;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The values one hyper-parameter may take: a list ({@code 0.001,0.01}) or, for numbers, a range
 * ({@code 1e-4..1e-1:log}, {@code 32..256:pow2}, {@code 0..0.5}, {@code 1..5}).
 */
sealed interface Domain {

    /** The text form, as parsed by {@link #parse}. */
    String text();

    /** One value drawn from {@code rng}: lists uniformly, ranges by their scale. */
    Object sample(SplittableRandom rng);

    /** A list of values, tried in this order by a grid. */
    record Choice(String text, List<Object> values) implements Domain {
        @Override
        public Object sample(SplittableRandom rng) {
            return values.get(rng.nextInt(values.size()));
        }
    }

    /**
     * A range of numbers, both ends included: uniform ({@code LINEAR}), log-uniform ({@code LOG}) or, for whole
     * numbers, a power of two drawn uniformly among those inside ({@code POW2}). Drawn real numbers keep 4
     * significant digits, so configs and summaries read like the command line.
     */
    record Range(String text, Param param, double low, double high, Scale scale) implements Domain {
        @Override
        public Object sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            if (param.type() == Param.Type.INTEGER) {
                return switch (scale) {
                    case LINEAR -> (int) low + rng.nextInt((int) high - (int) low + 1);
                    case LOG -> (int) Math.max(low, Math.min(high,
                            Math.round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))))));
                    case POW2 -> {
                        int from = 32 - Integer.numberOfLeadingZeros((int) low - 1);
                        int to = 31 - Integer.numberOfLeadingZeros((int) high);
                        yield 1 << (from + rng.nextInt(to - from + 1));
                    }
                };
            }
            double x = scale == Scale.LOG
                    ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)))
                    : low + u * (high - low);
            double rounded = new BigDecimal(x).round(new MathContext(4)).doubleValue();
            return rounded >= low && rounded <= high ? rounded : x;
        }
    }

    /** How a range spreads its draws. */
    enum Scale { LINEAR, LOG, POW2 }

    /**
     * Parses {@code param}'s values; the message names the flag and what was expected.
     *
     * @throws IllegalArgumentException for a malformed value, a value given twice, or a range of text values
     */
    static Domain parse(Param param, String text) {
        String trimmed = text.trim();
        if (trimmed.contains("..")) {
            return range(param, trimmed);
        }
        List<Object> values = new ArrayList<>();
        for (String part : trimmed.split(",", -1)) {
            values.add(param.parseValue(part));
        }
        if (new HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException(param.flag() + " lists a value twice: " + trimmed);
        }
        return new Choice(trimmed, List.copyOf(values));
    }

    private static Range range(Param param, String text) {
        if (param.type() != Param.Type.REAL && param.type() != Param.Type.INTEGER) {
            throw new IllegalArgumentException(param.flag() + " takes a list of values, not a range: '" + text + "'");
        }
        String body = text;
        Scale scale = Scale.LINEAR;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            body = text.substring(0, colon);
            scale = switch (text.substring(colon + 1).toLowerCase(Locale.ROOT)) {
                case "log" -> Scale.LOG;
                case "pow2" -> Scale.POW2;
                case "lin", "linear" -> Scale.LINEAR;
                default -> throw new IllegalArgumentException(param.flag() + " range '" + text
                        + "': expected low..high, low..high:log or low..high:pow2");
            };
        }
        String[] ends = body.split("\\.\\.", -1);
        if (ends.length != 2) {
            throw new IllegalArgumentException(param.flag() + " range '" + text + "': expected low..high[:log|:pow2]");
        }
        double low = ((Number) param.parseValue(ends[0])).doubleValue();
        double high = ((Number) param.parseValue(ends[1])).doubleValue();
        if (!(low < high)) {
            throw new IllegalArgumentException(param.flag() + " range '" + text + "': low must be below high");
        }
        if (scale == Scale.LOG && low <= 0) {
            throw new IllegalArgumentException(param.flag() + " range '" + text + "': a log range needs low > 0");
        }
        if (scale == Scale.POW2) {
            if (param.type() != Param.Type.INTEGER || low < 1) {
                throw new IllegalArgumentException(param.flag() + " range '" + text
                        + "': :pow2 is for whole numbers ≥ 1");
            }
            if (Integer.highestOneBit((int) high) < low) {
                throw new IllegalArgumentException(param.flag() + " range '" + text + "': no power of two inside");
            }
        }
        return new Range(text, param, low, high, scale);
    }
}
