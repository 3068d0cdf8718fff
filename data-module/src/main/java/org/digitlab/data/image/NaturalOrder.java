package org.digitlab.data.image;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * Natural sort order, as file browsers show names: runs of ASCII digits compare as numbers ("2" before "10",
 * "img2" before "img10"), other characters case-insensitively. Names equal that way ("a01" and "a1", "A" and "a")
 * are ordered by their characters, so the order is total and the same on every machine.
 */
final class NaturalOrder {
    /** Natural order of names. */
    static final Comparator<String> NAMES = NaturalOrder::compare;
    /** Natural order of relative paths, compared name by name (so "a/z.png" comes before "a b/a.png"). */
    static final Comparator<Path> PATHS = NaturalOrder::compare;

    private NaturalOrder() {
    }

    static int compare(Path a, Path b) {
        int n = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < n; i++) {
            int c = compare(a.getName(i).toString(), b.getName(i).toString());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
    }

    static int compare(String a, String b) {
        int c = compareNatural(a, b);
        return c != 0 ? c : a.compareTo(b);
    }

    private static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            if (isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int c = compareNumbers(a, skipZeros(a, i, endA), endA, b, skipZeros(b, j, endB), endB);
                if (c != 0) {
                    return c;
                }
                i = endA;
                j = endB;
            } else {
                int c = Character.compare(fold(a.charAt(i)), fold(b.charAt(j)));
                if (c != 0) {
                    return c;
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Digit strings without leading zeros: the longer is larger, else the first differing digit decides. */
    private static int compareNumbers(String a, int startA, int endA, String b, int startB, int endB) {
        int c = Integer.compare(endA - startA, endB - startB);
        for (int k = 0; c == 0 && k < endA - startA; k++) {
            c = Character.compare(a.charAt(startA + k), b.charAt(startB + k));
        }
        return c;
    }

    private static int digitsEnd(String s, int start) {
        int end = start;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    /** The start of the number without its leading zeros (keeping one digit of "000"). */
    private static int skipZeros(String s, int start, int end) {
        int i = start;
        while (i < end - 1 && s.charAt(i) == '0') {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
