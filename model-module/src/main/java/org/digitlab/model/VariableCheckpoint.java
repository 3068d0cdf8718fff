package org.digitlab.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Saves and restores an explicit list of variables in TensorFlow's checkpoint format ({@code
 * prefix.index} + {@code prefix.data-00000-of-00001}), keyed by name. Unlike {@code Session.save} it
 * touches only the given variables, so data or metric variables in the same graph stay out.
 */
public final class VariableCheckpoint {
    private static final String INDEX = ".index";

    private final Placeholder<TString> prefix;
    private final Op save;
    private final List<Op> restore;
    private final List<String> keys;

    private VariableCheckpoint(
            Placeholder<TString> prefix, Op save, List<Op> restore, List<String> keys) {
        this.prefix = prefix;
        this.save = save;
        this.restore = restore;
        this.keys = keys;
    }

    /** Checkpoint keyed by each variable's op name (scope included). */
    public static VariableCheckpoint build(Ops tf, List<? extends Variable<?>> variables) {
        Map<String, Variable<?>> named = new LinkedHashMap<>();
        for (Variable<?> v : variables) {
            named.put(v.op().name(), v);
        }
        return build(tf, named);
    }

    /** Checkpoint keyed by the given names, e.g. {@link ModelGraph#checkpointVariables()}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static VariableCheckpoint build(Ops tf, Map<String, ? extends Variable<?>> variables) {
        Ops ts = tf.withSubScope("checkpoint");
        List<String> keys = List.copyOf(variables.keySet());
        Placeholder<TString> prefix =
                ts.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
        Operand<TString> names =
                ts.constant(Shape.of(keys.size()), DataBuffers.ofObjects(keys.toArray(new String[0])));
        String[] empty = new String[keys.size()];
        Arrays.fill(empty, "");
        Operand<TString> slices = ts.constant(Shape.of(keys.size()), DataBuffers.ofObjects(empty));
        List<Operand<?>> tensors = new ArrayList<>(variables.values());
        Op save = ts.train.save(prefix, names, slices, tensors);
        List<Class<? extends TType>> types = new ArrayList<>();
        for (Variable<?> v : variables.values()) {
            types.add(v.type());
        }
        Restore restored = ts.train.restore(prefix, names, slices, types);
        List<Op> assigns = new ArrayList<>();
        int i = 0;
        for (Variable<?> v : variables.values()) {
            Output<?> value = restored.tensors().get(i++);
            assigns.add(ts.assign((Operand) v, (Operand) value));
        }
        return new VariableCheckpoint(prefix, save, List.copyOf(assigns), keys);
    }

    /** The names the variables are stored under, in order. */
    public List<String> keys() {
        return keys;
    }

    /** Whether a checkpoint with this prefix exists (its index file does). */
    public static boolean exists(Path prefix) {
        return Files.isRegularFile(Path.of(prefix + INDEX));
    }

    /**
     * Writes the variables' current values under {@code prefix}: first to a temporary prefix in the same
     * directory, then renamed into place, the index file last.
     */
    public void save(Session session, Path prefix) throws IOException {
        Path dir = prefix.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = prefix.getFileName().toString();
        String tmpName = "." + name + "-" + UUID.randomUUID();
        try {
            run(session, dir.resolve(tmpName), List.of(save));
            List<Path> written;
            try (Stream<Path> files = Files.list(dir)) {
                written = files.filter(f -> f.getFileName().toString().startsWith(tmpName + ".")).toList();
            }
            Path index = null;
            for (Path f : written) {
                if (f.getFileName().toString().endsWith(INDEX)) {
                    index = f;
                } else {
                    move(f, dir, tmpName, name);
                }
            }
            if (index == null) {
                throw new IOException(prefix + ": TensorFlow wrote no checkpoint index");
            }
            move(index, dir, tmpName, name);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(tmpName)).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Assigns the values stored under {@code prefix} to the variables. */
    public void restore(Session session, Path prefix) throws IOException {
        if (!exists(prefix)) {
            throw new NoSuchFileException(prefix + INDEX, null, "no checkpoint with this prefix");
        }
        run(session, prefix.toAbsolutePath(), restore);
    }

    private void run(Session session, Path path, List<Op> targets) throws IOException {
        try (TString p = TString.scalarOf(path.toString())) {
            Session.Runner runner = session.runner().feed(prefix, p);
            targets.forEach(runner::addTarget);
            runner.run().close();
        } catch (TensorFlowException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path file, Path dir, String tmpName, String name) throws IOException {
        String suffix = file.getFileName().toString().substring(tmpName.length());
        Files.move(
                file,
                dir.resolve(name + suffix),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
