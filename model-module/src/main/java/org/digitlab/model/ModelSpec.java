package org.digitlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A declarative model: input shape {@code [H, W, C]}, hidden layers, and the output {@link Head}.
 * Immutable and validated on construction; every problem names its field, e.g. {@code
 * layers[2].units must be > 0, was 0}. Layer outputs must be flat (use {@code flatten}) before a
 * dense layer or the head.
 */
public record ModelSpec(List<Integer> inputShape, List<LayerSpec> layers, Head head) {

    /** Validates every field and each layer's output shape; messages name the field. */
    public ModelSpec {
        if (inputShape == null || inputShape.size() != 3) {
            throw new InvalidModelSpecException(
                    "inputShape must be [height, width, channels], was " + inputShape);
        }
        for (int i = 0; i < 3; i++) {
            Integer d = inputShape.get(i);
            if (d == null || d <= 0) {
                throw new InvalidModelSpecException("inputShape[" + i + "] must be > 0, was " + d);
            }
        }
        if (layers == null) {
            throw new InvalidModelSpecException("layers must be given (an empty list is allowed)");
        }
        if (head == null) {
            throw new InvalidModelSpecException("head must be given");
        }
        inputShape = List.copyOf(inputShape);
        layers = List.copyOf(layers);
        shapes(inputShape, layers, head);
    }

    /** Convenience constructor from the image dimensions. */
    public ModelSpec(int height, int width, int channels, List<LayerSpec> layers, Head head) {
        this(List.of(height, width, channels), layers, head);
    }

    /** Input image height in pixels, {@code inputShape[0]}. */
    public int height() {
        return inputShape.get(0);
    }

    /** Input image width in pixels, {@code inputShape[1]}. */
    public int width() {
        return inputShape.get(1);
    }

    /** Input channels per pixel (1 for grey), {@code inputShape[2]}. */
    public int channels() {
        return inputShape.get(2);
    }

    /**
     * Output shape of every layer without the batch axis ([H, W, C] or [F]); entry 0 is the input,
     * entry i + 1 the output of {@code layers[i]}.
     */
    public List<long[]> layerShapes() {
        return shapes(inputShape, layers, head);
    }

    /** Number of trainable parameters (kernels, biases, batch-norm gamma and beta). */
    public long parameterCount() {
        List<long[]> shapes = layerShapes();
        long count = 0;
        for (int i = 0; i < layers.size(); i++) {
            count += parameters(layers.get(i), shapes.get(i));
        }
        return count + headParameters(shapes);
    }

    /** A Keras-style table: one line per layer with its output shape and parameter count. */
    public String summary() {
        List<long[]> shapes = layerShapes();
        StringBuilder out = new StringBuilder();
        String row = "%-16s %-16s %,12d%n";
        out.append(String.format("%-16s %-16s %12s%n", "layer", "output shape", "params"));
        out.append(String.format(row, "input", describe(shapes.get(0)), 0));
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            out.append(String.format(row, layer.typeId() + "_" + i, describe(shapes.get(i + 1)),
                    parameters(layer, shapes.get(i))));
        }
        out.append(String.format(row, "head (" + head.type().id() + ")",
                describe(new long[] {head.logits()}), headParameters(shapes)));
        out.append(String.format("total trainable params: %,d%n", parameterCount()));
        return out.toString();
    }

    private static long parameters(LayerSpec layer, long[] in) {
        if (layer instanceof LayerSpec.Dense d) {
            return (in[0] + 1) * d.units();
        }
        if (layer instanceof LayerSpec.Conv2D c) {
            return ((long) c.kernel() * c.kernel() * in[2] + 1) * c.filters();
        }
        if (layer instanceof LayerSpec.BatchNorm) {
            return 2 * in[in.length - 1];
        }
        return 0;
    }

    private long headParameters(List<long[]> shapes) {
        return (shapes.get(shapes.size() - 1)[0] + 1) * head.logits();
    }

    private static List<long[]> shapes(List<Integer> inputShape, List<LayerSpec> layers, Head head) {
        List<long[]> shapes = new ArrayList<>();
        long[] shape = {inputShape.get(0), inputShape.get(1), inputShape.get(2)};
        shapes.add(shape);
        for (int i = 0; i < layers.size(); i++) {
            String at = "layers[" + i + "]";
            LayerSpec layer = layers.get(i);
            if (layer == null) {
                throw new InvalidModelSpecException(at + " must not be null");
            }
            shape = outputShape(at, layer, shape);
            shapes.add(shape);
        }
        checkHead(head, shape);
        return shapes;
    }

    private static long[] outputShape(String at, LayerSpec layer, long[] in) {
        boolean flat = in.length == 1;
        if (layer instanceof LayerSpec.Dense d) {
            positive(at + ".units", d.units());
            notNull(at + ".activation", d.activation());
            l2(at + ".l2", d.l2());
            if (!flat) {
                throw new InvalidModelSpecException(
                        at + " (dense) needs a flat input but gets " + describe(in) + "; add a flatten layer");
            }
            return new long[] {d.units()};
        }
        if (layer instanceof LayerSpec.Conv2D c) {
            positive(at + ".filters", c.filters());
            positive(at + ".kernel", c.kernel());
            positive(at + ".stride", c.stride());
            notNull(at + ".padding", c.padding());
            notNull(at + ".activation", c.activation());
            l2(at + ".l2", c.l2());
            if (flat) {
                throw new InvalidModelSpecException(
                        at + " (conv2d) needs an [H, W, C] input but gets " + describe(in));
            }
            long h = convOut(at, in[0], c.kernel(), c.stride(), c.padding() == Padding.SAME);
            long w = convOut(at, in[1], c.kernel(), c.stride(), c.padding() == Padding.SAME);
            return new long[] {h, w, c.filters()};
        }
        if (layer instanceof LayerSpec.MaxPool p) {
            positive(at + ".pool", p.pool());
            positive(at + ".stride", p.stride());
            if (flat) {
                throw new InvalidModelSpecException(
                        at + " (max_pool) needs an [H, W, C] input but gets " + describe(in));
            }
            return new long[] {
                convOut(at, in[0], p.pool(), p.stride(), false),
                convOut(at, in[1], p.pool(), p.stride(), false),
                in[2]
            };
        }
        if (layer instanceof LayerSpec.Flatten) {
            long size = 1;
            for (long d : in) {
                size *= d;
            }
            return new long[] {size};
        }
        if (layer instanceof LayerSpec.Dropout d) {
            if (!(d.rate() >= 0 && d.rate() < 1)) {
                throw new InvalidModelSpecException(at + ".rate must be in [0, 1), was " + d.rate());
            }
            return in;
        }
        if (layer instanceof LayerSpec.BatchNorm b) {
            if (!(b.momentum() >= 0 && b.momentum() < 1)) {
                throw new InvalidModelSpecException(
                        at + ".momentum must be in [0, 1), was " + b.momentum());
            }
            if (!(b.epsilon() > 0 && Double.isFinite(b.epsilon()))) {
                throw new InvalidModelSpecException(at + ".epsilon must be > 0, was " + b.epsilon());
            }
            return in;
        }
        throw new InvalidModelSpecException(at + " has an unsupported type " + layer.getClass());
    }

    private static void checkHead(Head head, long[] in) {
        notNull("head.type", head.type());
        if (head.type() == HeadType.BINARY && head.numClasses() != 2) {
            throw new InvalidModelSpecException(
                    "head.numClasses must be 2 for a binary head, was " + head.numClasses());
        }
        if (head.numClasses() < 2) {
            throw new InvalidModelSpecException(
                    "head.numClasses must be >= 2, was " + head.numClasses());
        }
        l2("head.l2", head.l2());
        if (in.length != 1) {
            throw new InvalidModelSpecException(
                    "head needs a flat input but the last layer gives "
                            + describe(in)
                            + "; end the layers with flatten");
        }
    }

    private static long convOut(String at, long in, int window, int stride, boolean same) {
        long out = same ? (in + stride - 1) / stride : (in - window) / stride + 1;
        if (!same && in < window) {
            throw new InvalidModelSpecException(
                    at + " window " + window + " is larger than its input size " + in);
        }
        return out;
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidModelSpecException(field + " must be > 0, was " + value);
        }
    }

    private static void l2(String field, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new InvalidModelSpecException(field + " must be >= 0 and finite, was " + value);
        }
    }

    private static void notNull(String field, Object value) {
        if (value == null) {
            throw new InvalidModelSpecException(field + " must be given");
        }
    }

    private static String describe(long[] shape) {
        return Arrays.toString(shape);
    }
}
