package org.digitlab.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Exports trained weights as a TensorFlow SavedModel (tag {@code serve}) whose {@code
 * serving_default} signature maps {@code images} (float32 [N, H, W, C], normalised as in training)
 * to {@code probabilities} (float32 [N, K]). The spec is stored beside it as {@value #SPEC_FILE}.
 */
public final class SavedModelExport {
    /** Signature input key. */
    public static final String INPUT = "images";
    /** Signature output key. */
    public static final String OUTPUT = "probabilities";
    /** The model spec written into the export directory. */
    public static final String SPEC_FILE = "model-spec.json";

    private SavedModelExport() {}

    /**
     * Builds a fresh inference graph for {@code spec}, restores its weights from {@code
     * checkpointPrefix} (a {@link VariableCheckpoint} keyed by {@link ModelGraph#checkpointVariables()}),
     * and writes the SavedModel to {@code exportDir}, replacing it atomically.
     */
    public static void export(ModelSpec spec, Path checkpointPrefix, Path exportDir)
            throws IOException {
        Path target = exportDir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + "-" + UUID.randomUUID());
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> images =
                    tf.withName(INPUT)
                            .placeholder(
                                    TFloat32.class,
                                    Placeholder.shape(Shape.of(-1, spec.height(), spec.width(), spec.channels())));
            ModelGraph model =
                    ModelGraph.build(
                            tf, spec, images, tf.constant(false), tf.constant(new long[] {0, 0}), 0);
            VariableCheckpoint checkpoint = VariableCheckpoint.build(tf, model.checkpointVariables());
            try (Session session = new Session(graph)) {
                checkpoint.restore(session, checkpointPrefix);
                Signature signature =
                        Signature.builder()
                                .key(Signature.DEFAULT_KEY)
                                .input(INPUT, images)
                                .output(OUTPUT, model.probabilities())
                                .build();
                try {
                    SavedModelBundle.exporter(tmp.toString())
                            .withSession(session)
                            .withSignature(signature)
                            .export();
                } catch (TensorFlowException e) {
                    // A full disk, say: an I/O failure like any other, whatever TensorFlow calls it.
                    throw new IOException(tmp + ": " + e.getMessage(), e);
                }
            }
            ModelSpecs.write(tmp.resolve(SPEC_FILE), spec);
            replace(tmp, target);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Reads the spec stored in an export directory. */
    public static ModelSpec readSpec(Path exportDir) throws IOException {
        return ModelSpecs.read(exportDir.resolve(SPEC_FILE));
    }

    private static void replace(Path fresh, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + "-old-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteRecursively(old);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
