package org.digitlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.data.ImageShape;
import org.digitlab.model.Head;
import org.digitlab.model.LayerSummary;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.Presets;
import org.digitlab.model.SavedModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code digitlab model}: a model's layers with their output shapes, parameters and FLOPs, without training it. */
@Command(name = "model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a model's layers, output shapes, parameter counts and forward FLOPs per image.",
            "FLOPs count 2 per multiply-add of a convolution or dense layer (twice ptflops' MACs)",
            "plus the element-wise work (bias, activation, batch norm, pooling, residual sums);",
            "training costs about 3 times the forward pass."})
final class ModelCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "NAME|FILE|DIR",
            description = "A model preset (${COMPLETION-CANDIDATES}), a model spec file (JSON/YAML), or a run"
                    + " directory or SavedModel export holding one.", completionCandidates = PresetNames.class)
    String model;

    @Option(names = "--input", paramLabel = "HxW[xC]",
            description = "Image shape, e.g. 28x28x1 or 64x64x3 (default: a spec's own, 28x28x1 for a preset).")
    String input;

    @Option(names = "--classes", paramLabel = "K", description = "Classes (default: a spec's own, 10 for a preset).")
    Integer classes;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ModelSpec resolved = resolve();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(resolved)));
        } else {
            out.printf("model: %s, input %d×%d×%d, %d classes%n", model, resolved.height(), resolved.width(),
                    resolved.channels(), resolved.head().numClasses());
            out.print(resolved.summary());
        }
        out.flush();
        return 0;
    }

    /** The preset for the given shape and classes, or the spec file with the given ones replacing its own. */
    private ModelSpec resolve() {
        ImageShape shape = input == null ? null : DataOptions.parseShape("--input", input);
        if (Presets.names().contains(model)) {
            ImageShape s = shape == null ? ImageShape.grey(28, 28) : shape;
            return Presets.model(model, s.height(), s.width(), s.channels(), classes == null ? 10 : classes);
        }
        ModelSpec file = AppFiles.readModelSpec(specFile(Path.of(model)));
        List<Integer> inputShape = shape == null ? file.inputShape()
                : List.of(shape.height(), shape.width(), shape.channels());
        Head head = file.head();
        if (classes != null) {
            head = new Head(head.type(), classes, head.l2());
        }
        return new ModelSpec(inputShape, file.layers(), head);
    }

    /** The spec file itself, or the one a run directory or SavedModel export holds. */
    private Path specFile(Path path) {
        if (Files.isDirectory(path)) {
            for (String name : List.of(ModelDirectory.MODEL_SPEC, SavedModelExport.SPEC_FILE)) {
                if (Files.isRegularFile(path.resolve(name))) {
                    return path.resolve(name);
                }
            }
            throw new IllegalArgumentException(path + ": no " + ModelDirectory.MODEL_SPEC + " or "
                    + SavedModelExport.SPEC_FILE + " in this directory");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--model '" + model + "' is neither a model preset ("
                    + String.join(", ", Presets.names()) + ") nor a spec file or directory");
        }
        return path;
    }

    private ObjectNode toJson(ModelSpec resolved) {
        ObjectNode node = JSON.createObjectNode();
        node.put("model", model);
        resolved.inputShape().forEach(node.putArray("input")::add);
        node.put("classes", resolved.head().numClasses());
        node.put("parameters", resolved.parameterCount());
        node.put("flops", resolved.flops());
        addLayers(node.putArray("layers"), resolved.layerSummaries());
        return node;
    }

    private static void addLayers(ArrayNode array, List<LayerSummary> layers) {
        for (LayerSummary layer : layers) {
            ObjectNode node = array.addObject();
            node.put("name", layer.name());
            node.put("type", layer.type());
            layer.outputShape().forEach(node.putArray("output_shape")::add);
            node.put("parameters", layer.parameters());
            node.put("flops", layer.flops());
            if (!layer.layers().isEmpty()) {
                addLayers(node.putArray("layers"), layer.layers());
            }
        }
    }

    /** Completion candidates for --model (shown in the help). */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }
}
