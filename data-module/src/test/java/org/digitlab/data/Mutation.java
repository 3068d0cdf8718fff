package org.digitlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One damage done to a file's bytes, for the readers' property tests: a bit flip, a cut, bytes inserted or
 * deleted, a header field overwritten with an extreme value, random bytes, gzip. Positions are fractions of the
 * length, so one mutation applies to any input (and shrinks well); {@link #toString} says what was done.
 *
 * @param description what the mutation does, as jqwik reports a failing case
 * @param apply       the mutation; never changes its argument
 */
public record Mutation(String description, UnaryOperator<byte[]> apply) {
    /** Values a lying header field takes: empty, one, sign bits, the largest int, powers that overflow products. */
    private static final List<Integer> EXTREME_INTS = List.of(0, 1, 255, 256, 65_535, 65_536, 1 << 24,
            Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 46_341);

    /** This mutation applied to {@code bytes}. */
    public byte[] applyTo(byte[] bytes) {
        return apply.apply(bytes);
    }

    @Override
    public String toString() {
        return description;
    }

    /** {@code mutations} applied in order. */
    public static byte[] applyAll(byte[] bytes, List<Mutation> mutations) {
        byte[] result = bytes;
        for (Mutation m : mutations) {
            result = m.applyTo(result);
        }
        return result;
    }

    /**
     * Any byte-level mutation; header-field overwrites write 4-byte integers in {@code order} at offsets below
     * {@code headerBytes}.
     */
    public static Arbitrary<Mutation> bytes(int headerBytes, ByteOrder order) {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<byte[]> some = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16);
        return Arbitraries.oneOf(
                Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(Mutation::flip),
                at.map(Mutation::truncate),
                Combinators.combine(at, some).as(Mutation::insert),
                Combinators.combine(at, Arbitraries.integers().between(1, 32)).as(Mutation::delete),
                Combinators.combine(Arbitraries.integers().between(0, Math.max(0, headerBytes - 4)),
                        Arbitraries.oneOf(Arbitraries.of(EXTREME_INTS), Arbitraries.integers()))
                        .as((offset, value) -> setInt(offset, value, order)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Mutation::replace),
                Arbitraries.just(gzip()),
                Arbitraries.just(doubled()));
    }

    /** Text-level mutations of a text format: tokens a careless or hostile file holds, inserted anywhere. */
    public static Arbitrary<Mutation> text(List<String> tokens) {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.of(tokens))
                .as((at, token) -> {
                    Mutation insert = insert(at, token.getBytes(StandardCharsets.UTF_8));
                    return new Mutation("insert '" + token.replace("\n", "\\n").replace("\r", "\\r") + "' at "
                            + percent(at), insert.apply);
                });
    }

    /** Flips bit {@code bit} of the byte at fraction {@code at}. */
    public static Mutation flip(double at, int bit) {
        return new Mutation("flip bit " + bit + " at " + percent(at), b -> {
            if (b.length == 0) {
                return b;
            }
            byte[] out = b.clone();
            out[index(at, b.length)] ^= (byte) (1 << bit);
            return out;
        });
    }

    /** Keeps the first fraction {@code keep} of the bytes. */
    public static Mutation truncate(double keep) {
        return new Mutation("truncate to " + percent(keep), b -> Arrays.copyOf(b, (int) (keep * b.length)));
    }

    /** Inserts {@code bytes} at fraction {@code at}. */
    public static Mutation insert(double at, byte[] bytes) {
        return new Mutation("insert " + bytes.length + " bytes at " + percent(at), b -> {
            int i = (int) (at * b.length);
            byte[] out = new byte[b.length + bytes.length];
            System.arraycopy(b, 0, out, 0, i);
            System.arraycopy(bytes, 0, out, i, bytes.length);
            System.arraycopy(b, i, out, i + bytes.length, b.length - i);
            return out;
        });
    }

    /** Deletes up to {@code length} bytes from fraction {@code at}. */
    public static Mutation delete(double at, int length) {
        return new Mutation("delete " + length + " bytes at " + percent(at), b -> {
            int i = (int) (at * b.length);
            int n = Math.min(length, b.length - i);
            byte[] out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, i);
            System.arraycopy(b, i + n, out, i, b.length - i - n);
            return out;
        });
    }

    /** Overwrites (or appends) the 4-byte integer at byte {@code offset}. */
    public static Mutation setInt(int offset, int value, ByteOrder order) {
        return new Mutation("set int at byte " + offset + " to " + Integer.toUnsignedString(value), b -> {
            byte[] out = Arrays.copyOf(b, Math.max(b.length, offset + 4));
            ByteBuffer.wrap(out).order(order).putInt(offset, value);
            return out;
        });
    }

    /** Replaces the whole input with {@code bytes}. */
    public static Mutation replace(byte[] bytes) {
        return new Mutation("replace by " + bytes.length + " random bytes", b -> bytes.clone());
    }

    /** Gzip-compresses the input (readers detect gzip by its magic bytes). */
    public static Mutation gzip() {
        return new Mutation("gzip", Mutation::gzipped);
    }

    /** The input twice in a row (data after the data). */
    public static Mutation doubled() {
        return new Mutation("repeat", b -> {
            byte[] out = Arrays.copyOf(b, 2 * b.length);
            System.arraycopy(b, 0, out, b.length, b.length);
            return out;
        });
    }

    /** {@code bytes} gzip-compressed. */
    public static byte[] gzipped(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int index(double at, int length) {
        return Math.min(length - 1, (int) (at * length));
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
