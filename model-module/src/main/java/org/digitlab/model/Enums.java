package org.digitlab.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Case-insensitive enum parsing with a message that lists the accepted values. */
final class Enums {
    private Enums() {}

    static <E extends Enum<E>> E parse(Class<E> type, String id, String what) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(id)) {
                return value;
            }
        }
        String accepted =
                Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown " + what + " '" + id + "'; expected one of: " + accepted);
    }
}
