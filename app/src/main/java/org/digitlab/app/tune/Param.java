package org.digitlab.app.tune;

import java.util.Locale;

/**
 * A hyper-parameter {@code tune} can search: its key in the experiment config ({@code config.json}), its flag, and
 * the type of its values. The order is the grid's nesting order (the first varies slowest) and the order in which
 * a random trial draws its values, so it must not change (new parameters go at the end).
 */
enum Param {
    LR("lr", Type.REAL),
    BATCH_SIZE("batch_size", Type.INTEGER),
    EPOCHS("epochs", Type.INTEGER),
    OPTIMIZER("optimizer", Type.TEXT),
    MODEL("model", Type.TEXT),
    WEIGHT_DECAY("weight_decay", Type.REAL),
    DROPOUT("dropout", Type.REAL),
    SCHEDULE("schedule", Type.TEXT),
    LABEL_SMOOTHING("label_smoothing", Type.REAL),
    AUGMENT_SHIFT("augment_shift", Type.INTEGER),
    AUGMENT_FLIP("augment_flip", Type.BOOLEAN),
    CLIP_NORM("clip_norm", Type.REAL),
    AUGMENT_CROP("augment_crop", Type.INTEGER),
    AUGMENT_ROTATE("augment_rotate", Type.REAL),
    AUGMENT_SCALE("augment_scale", Type.REAL),
    AUGMENT_ERASE("augment_erase", Type.REAL);

    /** What a parameter's values are: ranges exist for numbers only. */
    enum Type { REAL, INTEGER, TEXT, BOOLEAN }

    private final String key;
    private final Type type;

    Param(String key, Type type) {
        this.key = key;
        this.type = type;
    }

    /** The config key, e.g. {@code batch_size}. */
    String key() {
        return key;
    }

    /** The command-line flag, e.g. {@code --batch-size}. */
    String flag() {
        return "--" + key.replace('_', '-');
    }

    Type type() {
        return type;
    }

    /** The parameter with config key {@code key}. */
    static Param ofKey(String key) {
        for (Param p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown hyper-parameter '" + key + "'");
    }

    /** One value from its text, e.g. {@code 0.001} for {@link #LR}; the message names the flag. */
    Object parseValue(String text) {
        String value = text.trim();
        try {
            return switch (type) {
                case REAL -> {
                    double x = Double.parseDouble(value);
                    if (!Double.isFinite(x)) {
                        throw new NumberFormatException();
                    }
                    yield x;
                }
                case INTEGER -> Integer.parseInt(value);
                case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new NumberFormatException();
                };
                case TEXT -> {
                    if (value.isEmpty()) {
                        throw new NumberFormatException();
                    }
                    yield value;
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag() + ": expected " + expected() + ", got '" + text + "'", e);
        }
    }

    private String expected() {
        return switch (type) {
            case REAL -> "a number";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "true or false";
            case TEXT -> "a non-empty value";
        };
    }
}
