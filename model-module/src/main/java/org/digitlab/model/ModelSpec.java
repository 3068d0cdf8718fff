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
    private static final String ROW = "%-20s %-16s %,12d %,14d%n";

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
        return layerSummaries().stream().mapToLong(LayerSummary::parameters).sum();
    }

    /**
     * Forward-pass floating-point operations per image at inference, counted as {@link LayerSummary#flops()}
     * describes (2 per multiply-add of a convolution or dense layer, so twice the MACs that ptflops reports).
     */
    public long flops() {
        return layerSummaries().stream().mapToLong(LayerSummary::flops).sum();
    }

    /**
     * One entry per layer (a residual block with its own layers and shortcut inside), then the head: output shape,
     * parameters and FLOPs per sample.
     */
    public List<LayerSummary> layerSummaries() {
        long[] in = {inputShape.get(0), inputShape.get(1), inputShape.get(2)};
        List<LayerSummary> rows = new ArrayList<>(summaries(layers, in));
        long features = rows.isEmpty() ? in[0] : rows.get(rows.size() - 1).outputShape().get(0);
        long logits = head.logits();
        rows.add(new LayerSummary("head", head.type().id(), List.of(logits), (features + 1) * logits,
                2 * features * logits + logits, List.of()));
        return rows;
    }

    /**
     * A Keras-style table: one line per layer with its output shape, parameter count and FLOPs per sample; the
     * layers of a residual block are indented under it.
     */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-20s %-16s %12s %14s%n", "layer", "output shape", "params", "FLOPs"));
        out.append(String.format(ROW, "input", inputShape.stream().map(Integer::longValue).toList(), 0L, 0L));
        appendRows(out, layerSummaries(), "");
        out.append(String.format("total trainable params: %,d%n", parameterCount()));
        out.append(String.format("forward FLOPs per sample: %,d%n", flops()));
        return out.toString();
    }

    private static void appendRows(StringBuilder out, List<LayerSummary> rows, String indent) {
        for (LayerSummary row : rows) {
            String name = indent + row.name() + (row.name().equals("head") ? " (" + row.type() + ")" : "");
            out.append(String.format(ROW, name, row.outputShape(), row.parameters(), row.flops()));
            appendRows(out, row.layers(), indent + "  ");
        }
    }

    /** Summaries of {@code layers} applied in turn to an input of shape {@code in} (already validated). */
    private static List<LayerSummary> summaries(List<LayerSpec> layers, long[] in) {
        List<long[]> shapes = shapes("", layers, in);
        List<LayerSummary> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            rows.add(summarise(layers.get(i), layers.get(i).typeId() + "_" + i, shapes.get(i), shapes.get(i + 1)));
        }
        return rows;
    }

    private static LayerSummary summarise(LayerSpec layer, String name, long[] in, long[] out) {
        long outputs = elements(out);
        long params = 0;
        long flops = 0;
        List<LayerSummary> inner = List.of();
        if (layer instanceof LayerSpec.Dense d) {
            params = (in[0] + 1) * d.units();
            flops = 2 * in[0] * d.units() + d.units() + activationFlops(d.activation(), outputs);
        } else if (layer instanceof LayerSpec.Conv2D c) {
            long bias = c.bias() ? 1 : 0;
            long macs = (long) c.kernel() * c.kernel() * in[2];
            params = (macs + bias) * c.filters();
            flops = (2 * macs + bias) * outputs + activationFlops(c.activation(), outputs);
        } else if (layer instanceof LayerSpec.Pooling p) {
            flops = (long) p.pool() * p.pool() * outputs;
        } else if (layer instanceof LayerSpec.GlobalAvgPool) {
            flops = elements(in);
        } else if (layer instanceof LayerSpec.BatchNorm) {
            params = 2 * out[out.length - 1];
            flops = 2 * outputs;
        } else if (layer instanceof LayerSpec.ActivationLayer a) {
            flops = activationFlops(a.activation(), outputs);
        } else if (layer instanceof LayerSpec.Residual r) {
            List<LayerSummary> rows = new ArrayList<>(summaries(r.layers(), in));
            if (!Arrays.equals(in, out)) {
                rows.add(new LayerSummary("shortcut", "projection", toList(out), in[2] * out[2] + 2 * out[2],
                        2 * in[2] * outputs + 2 * outputs, List.of()));
            }
            inner = rows;
            params = rows.stream().mapToLong(LayerSummary::parameters).sum();
            flops = rows.stream().mapToLong(LayerSummary::flops).sum() + outputs
                    + activationFlops(r.activation(), outputs);
        }
        return new LayerSummary(name, layer.typeId(), toList(out), params, flops, inner);
    }

    private static long activationFlops(Activation activation, long outputs) {
        return activation == Activation.LINEAR ? 0 : outputs;
    }

    private static long elements(long[] shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return size;
    }

    private static List<Long> toList(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }

    private static List<long[]> shapes(List<Integer> inputShape, List<LayerSpec> layers, Head head) {
        long[] in = {inputShape.get(0), inputShape.get(1), inputShape.get(2)};
        List<long[]> shapes = shapes("", layers, in);
        checkHead(head, shapes.get(shapes.size() - 1));
        return shapes;
    }

    /**
     * Input shape then the output shape of each of {@code layers} applied in turn to {@code in}, validating each
     * layer; messages name it as {@code prefix + "layers[i]"}.
     */
    static List<long[]> shapes(String prefix, List<LayerSpec> layers, long[] in) {
        List<long[]> shapes = new ArrayList<>();
        long[] shape = in;
        shapes.add(shape);
        for (int i = 0; i < layers.size(); i++) {
            String at = prefix + "layers[" + i + "]";
            LayerSpec layer = layers.get(i);
            if (layer == null) {
                throw new InvalidModelSpecException(at + " must not be null");
            }
            shape = outputShape(at, layer, shape);
            shapes.add(shape);
        }
        return shapes;
    }

    /** Product of the strides of the layers (nested blocks included): how far apart their outputs sample the input. */
    static long stride(List<LayerSpec> layers) {
        long stride = 1;
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Conv2D c) {
                stride *= c.stride();
            } else if (layer instanceof LayerSpec.Pooling p) {
                stride *= p.stride();
            } else if (layer instanceof LayerSpec.Residual r) {
                stride *= stride(r.layers());
            }
        }
        return stride;
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
            spatial(at, layer, in);
            long h = convOut(at, in[0], c.kernel(), c.stride(), c.padding() == Padding.SAME);
            long w = convOut(at, in[1], c.kernel(), c.stride(), c.padding() == Padding.SAME);
            return new long[] {h, w, c.filters()};
        }
        if (layer instanceof LayerSpec.Pooling p) {
            positive(at + ".pool", p.pool());
            positive(at + ".stride", p.stride());
            spatial(at, layer, in);
            return new long[] {
                convOut(at, in[0], p.pool(), p.stride(), false),
                convOut(at, in[1], p.pool(), p.stride(), false),
                in[2]
            };
        }
        if (layer instanceof LayerSpec.GlobalAvgPool) {
            spatial(at, layer, in);
            return new long[] {in[2]};
        }
        if (layer instanceof LayerSpec.Flatten) {
            return new long[] {elements(in)};
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
        if (layer instanceof LayerSpec.ActivationLayer a) {
            notNull(at + ".activation", a.activation());
            return in;
        }
        if (layer instanceof LayerSpec.Residual r) {
            return residualShape(at, r, in);
        }
        throw new InvalidModelSpecException(at + " has an unsupported type " + layer.getClass());
    }

    private static long[] residualShape(String at, LayerSpec.Residual r, long[] in) {
        notNull(at + ".layers", r.layers());
        notNull(at + ".activation", r.activation());
        if (r.layers().isEmpty()) {
            throw new InvalidModelSpecException(at + ".layers must hold at least one layer");
        }
        List<long[]> inner = shapes(at + ".", r.layers(), in);
        long[] out = inner.get(inner.size() - 1);
        if (Arrays.equals(in, out)) {
            return out;
        }
        if (in.length != 3 || out.length != 3) {
            throw new InvalidModelSpecException(at + " (residual) turns " + describe(in) + " into " + describe(out)
                    + "; the sum needs equal shapes, or [H, W, C] on both sides for a projection shortcut");
        }
        long stride = stride(r.layers());
        long h = (in[0] + stride - 1) / stride;
        long w = (in[1] + stride - 1) / stride;
        if (h != out[0] || w != out[1]) {
            throw new InvalidModelSpecException(at + " (residual) turns " + describe(in) + " into " + describe(out)
                    + " but a 1×1 stride-" + stride + " projection shortcut gives [" + h + ", " + w + ", " + out[2]
                    + "]; use 'same' padding inside the block");
        }
        return out;
    }

    private static void spatial(String at, LayerSpec layer, long[] in) {
        if (in.length != 3) {
            throw new InvalidModelSpecException(
                    at + " (" + layer.typeId() + ") needs an [H, W, C] input but gets " + describe(in));
        }
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
