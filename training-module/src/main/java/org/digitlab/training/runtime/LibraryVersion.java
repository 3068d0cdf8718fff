package org.digitlab.training.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A dotted version such as {@code 12.4.127}, compared part by part; missing trailing parts count as 0. */
public record LibraryVersion(List<Integer> parts) implements Comparable<LibraryVersion> {

    /** Copies {@code parts}; at least one part. */
    public LibraryVersion {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a version needs at least one part");
        }
        parts = List.copyOf(parts);
    }

    /** The version {@code parts[0].parts[1]…}. */
    public static LibraryVersion of(int... parts) {
        List<Integer> list = new ArrayList<>();
        for (int part : parts) {
            list.add(part);
        }
        return new LibraryVersion(list);
    }

    /** Parses {@code 12.4.127}; empty for anything that is not dot-separated decimal numbers. */
    public static Optional<LibraryVersion> parse(String text) {
        if (text == null || !text.matches("\\d{1,9}(\\.\\d{1,9})*")) {
            return Optional.empty();
        }
        List<Integer> parts = new ArrayList<>();
        for (String part : text.split("\\.")) {
            parts.add(Integer.parseInt(part));
        }
        return Optional.of(new LibraryVersion(parts));
    }

    /**
     * The version a library's file name carries after its soname: {@code libcudart.so.12.4.127} for soname
     * {@code libcudart.so.12} is 12.4.127; empty when the file name is the soname itself or says nothing more.
     */
    public static Optional<LibraryVersion> fromFileName(String soname, String fileName) {
        int so = soname.indexOf(".so");
        if (so < 0 || !fileName.startsWith(soname.substring(0, so + 3) + ".") || fileName.equals(soname)) {
            return Optional.empty();
        }
        return parse(fileName.substring(so + 4));
    }

    /** Whether this version is {@code other} or newer. */
    public boolean atLeast(LibraryVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(LibraryVersion other) {
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            int a = i < parts.size() ? parts.get(i) : 0;
            int b = i < other.parts.size() ? other.parts.get(i) : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return parts.stream().map(String::valueOf).collect(Collectors.joining("."));
    }
}
