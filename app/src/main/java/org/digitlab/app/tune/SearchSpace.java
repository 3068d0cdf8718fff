package org.digitlab.app.tune;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The hyper-parameters a sweep varies, each with its {@link Domain}. Pure: trial {@code i}'s values are a function
 * of ({@code seed}, {@code i}) alone — the grid's {@code i}-th combination, or draws from a random stream of its
 * own — so every worker computes the same trials, whatever their number and order.
 */
record SearchSpace(Map<Param, Domain> domains) {

    /** Keeps the parameters in {@link Param} order. */
    SearchSpace {
        EnumMap<Param, Domain> ordered = new EnumMap<>(Param.class);
        ordered.putAll(domains);
        domains = Collections.unmodifiableMap(ordered);
    }

    /** Parses {@code config key → text} (as in {@code sweep.json}); messages name the flag. */
    static SearchSpace parse(Map<String, String> texts) {
        Map<Param, Domain> domains = new EnumMap<>(Param.class);
        texts.forEach((key, text) -> {
            Param param = Param.ofKey(key);
            domains.put(param, Domain.parse(param, text));
        });
        return new SearchSpace(domains);
    }

    /** {@code config key → text}, as written into {@code sweep.json}. */
    Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        domains.forEach((param, domain) -> texts.put(param.key(), domain.text()));
        return texts;
    }

    /** Whether any parameter is a range (which a grid cannot enumerate). */
    boolean hasRanges() {
        return domains.values().stream().anyMatch(d -> d instanceof Domain.Range);
    }

    /** The grid's number of combinations (1 for an empty space). */
    long gridSize() {
        long size = 1;
        for (Map.Entry<Param, Domain> e : domains.entrySet()) {
            if (!(e.getValue() instanceof Domain.Choice choice)) {
                throw new IllegalArgumentException(e.getKey().flag() + " " + e.getValue().text()
                        + " is a range; --search grid takes lists of values (e.g. " + e.getKey().flag() + " a,b)");
            }
            size = Math.multiplyExact(size, choice.values().size());
        }
        return size;
    }

    /** The grid's {@code index}-th combination, the first parameter varying slowest. */
    Map<String, Object> gridPoint(long index) {
        Map<String, Object> point = new LinkedHashMap<>();
        long rest = index;
        long stride = gridSize();
        for (Map.Entry<Param, Domain> e : domains.entrySet()) {
            Domain.Choice choice = (Domain.Choice) e.getValue();
            stride /= choice.values().size();
            point.put(e.getKey().key(), choice.values().get((int) (rest / stride)));
            rest %= stride;
        }
        return point;
    }

    /** Random trial {@code index}'s values, drawn from a stream seeded by ({@code seed}, {@code index}) only. */
    Map<String, Object> sample(long seed, int index) {
        // Two rounds of SplitMix64 mixing, so neighbouring seeds and indices give unrelated streams.
        long mixed = new SplittableRandom(seed).split().nextLong() ^ (0x9E3779B97F4A7C15L * (index + 1L));
        SplittableRandom rng = new SplittableRandom(new SplittableRandom(mixed).nextLong());
        Map<String, Object> point = new LinkedHashMap<>();
        domains.forEach((param, domain) -> point.put(param.key(), domain.sample(rng)));
        return point;
    }
}
