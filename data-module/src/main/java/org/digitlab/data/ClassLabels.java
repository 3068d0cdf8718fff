package org.digitlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labels as they come: sources that store numbers (IDX, CSV, NumPy) keep only the label values present, named by
 * their value, so a label set with gaps (Sign-Language-MNIST: 0–24 without 9) gives 24 classes named "0" … "24"
 * rather than 25 with an empty one. Class names then carry the original values into every report.
 */
public final class ClassLabels {
    /** More distinct labels than this is not an image classification dataset but the wrong column. */
    public static final int MAX_CLASSES = 1000;

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
        for (int i = 0; i < values.length; i++) {
            labels[i] = indexOf[values[i]];
        }
        return new Compact(labels, names);
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
