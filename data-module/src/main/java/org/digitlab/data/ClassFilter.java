package org.digitlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps a subset of classes and relabels them {@code 0 … k−1} in the order given, keeping their names: keeping
 * digits 6 and 8 of MNIST gives labels 0 and 1 named "6" and "8".
 */
public final class ClassFilter {
    private ClassFilter() {
    }

    /**
     * The samples whose label is one of {@code classes}, relabelled by position in {@code classes}. Sample order
     * is kept.
     *
     * @throws IllegalArgumentException if no class is given, a class is repeated, or a class is not a label of
     *                                  the dataset
     */
    public static Dataset keep(Dataset dataset, int... classes) {
        if (classes.length == 0) {
            throw new IllegalArgumentException("keep at least one class");
        }
        int[] newLabelOf = new int[dataset.numClasses()];
        Arrays.fill(newLabelOf, -1);
        List<String> names = new ArrayList<>(classes.length);
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            if (c < 0 || c >= dataset.numClasses()) {
                throw new IllegalArgumentException("class " + c + " is not in the dataset (labels 0…"
                        + (dataset.numClasses() - 1) + ")");
            }
            if (newLabelOf[c] >= 0) {
                throw new IllegalArgumentException("class " + c + " is listed twice");
            }
            newLabelOf[c] = i;
            names.add(dataset.classNames().get(c));
        }
        int[] indices = new int[dataset.size()];
        int kept = 0;
        for (int i = 0; i < dataset.size(); i++) {
            if (newLabelOf[dataset.label(i)] >= 0) {
                indices[kept++] = i;
            }
        }
        Dataset subset = dataset.subset(Arrays.copyOf(indices, kept));
        int[] labels = new int[kept];
        for (int i = 0; i < kept; i++) {
            labels[i] = newLabelOf[subset.label(i)];
        }
        return subset.withLabels(labels, names);
    }

    /**
     * Like {@link #keep(Dataset, int...)}, with classes given by name (e.g. "6", "8", or "T-shirt/top").
     *
     * @throws IllegalArgumentException naming the first unknown class and the known ones
     */
    public static Dataset keepNamed(Dataset dataset, String... classNames) {
        int[] classes = new int[classNames.length];
        for (int i = 0; i < classNames.length; i++) {
            classes[i] = dataset.classNames().indexOf(classNames[i]);
            if (classes[i] < 0) {
                throw new IllegalArgumentException("class \"" + classNames[i] + "\" is not in the dataset (classes: "
                        + String.join(", ", dataset.classNames()) + ")");
            }
        }
        return keep(dataset, classes);
    }

    /**
     * The classes a user selected ({@code --classes 6,8} or {@code --classes cat,dog}), relabelled 0…k−1 in the
     * given order. Each entry is a class name; where no class name is a number (Fashion-MNIST's), a number is taken
     * as the label value. Every selected class must hold samples.
     *
     * @param source names the data in errors
     * @throws InvalidDataException naming the class that is absent or empty and the known classes
     */
    public static Dataset select(Dataset dataset, List<String> selection, Object source) {
        List<String> names = dataset.classNames();
        boolean numbered = names.stream().anyMatch(name -> name.matches("\\d{1,9}"));
        int[] counts = dataset.classCounts();
        int[] classes = new int[selection.size()];
        for (int i = 0; i < classes.length; i++) {
            String wanted = selection.get(i).trim();
            int c = names.indexOf(wanted);
            if (c < 0 && !numbered && wanted.matches("\\d{1,9}") && Integer.parseInt(wanted) < names.size()) {
                c = Integer.parseInt(wanted);
            }
            if (c < 0) {
                throw InvalidDataException.of(source, "class " + wanted + " is not in the data; its classes are: "
                        + String.join(", ", names));
            }
            if (counts[c] == 0) {
                throw InvalidDataException.of(source, "class " + wanted + " has no samples");
            }
            classes[i] = c;
        }
        try {
            return keep(dataset, classes);
        } catch (IllegalArgumentException e) {
            throw InvalidDataException.of(source, "--classes " + String.join(",", selection) + ": " + e.getMessage());
        }
    }

    /**
     * The samples whose class name is one of {@code names}, labelled by position in {@code names}: a test set cut
     * down to the classes a model was trained on (classes without samples there are fine).
     */
    public static Dataset restrictTo(Dataset dataset, List<String> names) {
        List<String> present = new ArrayList<>();
        for (String name : names) {
            if (dataset.classNames().contains(name)) {
                present.add(name);
            }
        }
        Dataset kept = keepNamed(dataset, present.toArray(String[]::new));
        return ClassLabels.align(kept, names, "data");
    }
}
