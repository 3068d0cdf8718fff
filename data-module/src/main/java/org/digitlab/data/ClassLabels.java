package org.digitlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels as they come: sources that store numbers (IDX, CSV, NumPy) keep only the label values present, named by
 * their value, so a label set with gaps (Sign-Language-MNIST: 0–24 without 9) gives 24 classes named "0" … "24"
 * rather than 25 with an empty one. Class names then carry the original values into every report.
 */
public final class ClassLabels {
    /** More distinct labels than this is not an image classification dataset but the wrong column. */
    public static final int MAX_CLASSES = 1000;
    /** At most this many samples make a class suspiciously rare. */
    static final int HANDFUL = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ClassLabels.class);

    private ClassLabels() {
    }

    /**
     * Labels {@code 0 … k−1} for the k distinct values present (ascending), and their names.
     *
     * @param labels index into {@code names} per sample
     * @param names  the original values as decimal text, ascending
     */
    public record Compact(int[] labels, List<String> names) {
        /** Copies {@code names}. */
        public Compact {
            names = List.copyOf(names);
        }
    }

    /**
     * Compacts non-negative label {@code values} (as read from {@code source}).
     *
     * @throws InvalidDataException when there are more than {@value #MAX_CLASSES} distinct values
     */
    public static Compact compact(int[] values, Object source) {
        int max = -1;
        for (int v : values) {
            if (v < 0) {
                throw InvalidDataException.of(source, "label " + v + " is negative; expected labels ≥ 0");
            }
            max = Math.max(max, v);
        }
        int[] indexOf = new int[max + 1];
        for (int v : values) {
            indexOf[v] = 1;
        }
        List<String> names = new ArrayList<>();
        for (int v = 0; v <= max; v++) {
            if (indexOf[v] != 0) {
                indexOf[v] = names.size();
                names.add(Integer.toString(v));
            }
        }
        if (names.size() > MAX_CLASSES) {
            throw InvalidDataException.of(source, names.size() + " distinct labels (values " + names.get(0) + "–"
                    + max + "); expected at most " + MAX_CLASSES + " classes (is the label column right?)");
        }
        int[] labels = new int[values.length];
        int[] counts = new int[names.size()];
        for (int i = 0; i < values.length; i++) {
            labels[i] = indexOf[values[i]];
            counts[labels[i]]++;
        }
        checkRareClasses(values, labels, names, counts, source);
        return new Compact(labels, names);
    }

    /**
     * A class with a handful of samples (at most {@value #HANDFUL}, and a twentieth of the median class) is worth a
     * warning;
     * one whose label also lies far above every other class's (beyond twice the largest other label, plus 10) is
     * almost surely a typo that would add an empty-handed class to the model, and is refused.
     */
    private static void checkRareClasses(int[] values, int[] labels, List<String> names, int[] counts,
                                         Object source) {
        if (names.size() < 3) {
            return;
        }
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        int median = sorted[sorted.length / 2];
        int rareBelow = Math.min(HANDFUL, median / 20);
        int largestCommon = -1;
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > rareBelow) {
                largestCommon = Math.max(largestCommon, Integer.parseInt(names.get(c)));
                fewest = Math.min(fewest, counts[c]);
                most = Math.max(most, counts[c]);
            }
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > rareBelow) {
                continue;
            }
            int value = Integer.parseInt(names.get(c));
            int first = firstIndexOf(labels, c);
            if (largestCommon >= 0 && value > 2 * largestCommon + 10) {
                throw InvalidDataException.of(source, "label " + value + " occurs " + times(counts[c])
                        + " (first at sample " + first + ", counting from 0) while the other classes, labels up to "
                        + largestCommon + ", have " + fewest + "–" + most + " samples each: a stray label? Fix or "
                        + "remove that row; a real class needs more samples than that");
            }
            LOG.warn("{}: class {} has only {} (the median class has {}); it can hardly be learnt or tested",
                    source, value, counts[c] == 1 ? "1 sample" : counts[c] + " samples", median);
        }
    }

    private static int firstIndexOf(int[] labels, int label) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                return i;
            }
        }
        return -1;
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }

    /**
     * {@code data} relabelled so its classes are {@code names} (in that order), matching by class name: a class of
     * {@code data} missing from {@code names} is an error, a class of {@code names} missing from {@code data} is
     * fine (a test set without any shirts).
     *
     * @param what names the data in the error, e.g. "test set (file t10k.csv)"
     * @throws InvalidDataException naming the unknown classes and the known ones
     */
    public static Dataset align(Dataset data, List<String> names, Object what) {
        if (data.classNames().equals(names)) {
            return data;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        int[] target = new int[data.numClasses()];
        Set<String> unknown = new LinkedHashSet<>();
        int[] counts = data.classCounts();
        for (int c = 0; c < data.numClasses(); c++) {
            Integer t = index.get(data.classNames().get(c));
            if (t == null && counts[c] > 0) {
                unknown.add(data.classNames().get(c));
            }
            target[c] = t == null ? -1 : t;
        }
        if (!unknown.isEmpty()) {
            throw InvalidDataException.of(what, "holds " + unknown.size() + (unknown.size() == 1 ? " class" : " classes") + " unknown to the "
                    + "training data (" + String.join(", ", unknown) + "); known classes: " + String.join(", ", names));
        }
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = target[data.label(i)];
        }
        return data.withLabels(labels, names);
    }

    /**
     * {@code data} with the class names a user gave ({@code --class-names}): as many names as classes name them in
     * order; for numbered classes, as many names as the largest label value + 1 name them by value (so the 25 names
     * A…Y fit Sign-Language-MNIST's labels 0–24 without 9, and the name for 9 goes unused).
     *
     * @throws InvalidDataException when the count fits neither rule, or a name is blank or repeated
     */
    public static Dataset rename(Dataset data, List<String> names, Object source) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String name : names) {
            if (name.isBlank()) {
                throw InvalidDataException.of(source, "class names must not be blank");
            }
            if (!distinct.add(name)) {
                throw InvalidDataException.of(source, "class name '" + name + "' is given twice");
            }
        }
        if (names.size() == data.numClasses()) {
            return data.withClassNames(names);
        }
        int[] values = numericValues(data.classNames());
        int largest = values == null ? -1 : Arrays.stream(values).max().orElse(-1);
        if (values != null && names.size() == largest + 1) {
            List<String> byValue = new ArrayList<>();
            for (int v : values) {
                byValue.add(names.get(v));
            }
            return data.withClassNames(byValue);
        }
        throw InvalidDataException.of(source, names.size() + " class names for " + data.numClasses()
                + " classes (" + String.join(", ", data.classNames()) + "); expected one name per class"
                + (values == null ? "" : ", or one per label value 0–" + largest));
    }

    /** The class names as integers, or null when one is not a plain non-negative integer. */
    private static int[] numericValues(List<String> names) {
        int[] values = new int[names.size()];
        for (int i = 0; i < values.length; i++) {
            String name = names.get(i);
            if (!name.matches("\\d{1,9}")) {
                return null;
            }
            values[i] = Integer.parseInt(name);
        }
        return values;
    }
}
