package org.digitlab.app.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.digitlab.data.BatchSampler;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.data.UserFiles;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.model.StrictJson;
import org.digitlab.training.Device;
import org.digitlab.training.EarlyStoppingConfig;
import org.digitlab.training.KeepWeights;
import org.digitlab.training.OptimizerConfig;
import org.digitlab.training.Precision;
import org.digitlab.training.ScheduleConfig;
import org.digitlab.training.TrainingConfig;

/**
 * One experiment, fully resolved: data, model, pixel normalisation, splits and the training recipe. Written as
 * {@code config.json} into every run directory (so a run can be traced and rerun) and accepted back by
 * {@code train --config FILE} (JSON, or YAML for {@code .yaml}/{@code .yml}); the keys mirror the command-line
 * flags, and a file may give only some of them: the rest come from its {@code preset}. In a file, {@code model}
 * may also be a whole model spec (an object, as in {@code model.json}); it is kept as {@code model: inline} plus
 * {@code model_spec}.
 *
 * @param preset         the experiment preset this started from, or {@code custom}
 * @param data           data options as on the command line without dashes, e.g. {@code {"dataset": "mnist-sample"}}
 *                       or {@code {"images": …, "labels": …, "test-images": …, "test-labels": …}}; empty = the
 *                       preset's dataset
 * @param classes        the classes to keep by name, relabelled 0…k−1 in this order (e.g. {@code [6, 8]} or
 *                       {@code [cat, dog]}); empty = all
 * @param model          a model preset name ({@code cnn}, {@code mlp}, …), a model spec file (JSON/YAML), or
 *                       {@value #INLINE} for {@code modelSpec}
 * @param modelSpec      the model spec given inline, or null
 * @param dropout        dropout rate inserted after every hidden dense layer that has none; 0 = the model as is
 * @param normalization  {@code standardize:MEAN:STD} (in [0, 1] units), {@code fit} (standardise with the training
 *                       split's statistics), {@code scale} or {@code none}
 * @param valFraction    share of the training data held out (stratified) for validation
 * @param testFraction   share of the data held out (stratified) for testing when no test set exists
 * @param limit          use only a stratified sample of N training (and test) samples; 0 = all (smoke tests)
 * @param epochs         epochs in all
 * @param batchSize      samples per step
 * @param optimizer      sgd, momentum, nesterov, adam, adamw or rmsprop
 * @param lr             base learning rate
 * @param weightDecay    AdamW's decoupled decay, coupled L2 for the others
 * @param schedule       learning-rate schedule in {@link ScheduleConfig#parse} form
 * @param earlyStopping  {@code off} or {@code val_loss|val_accuracy[:patience[:min_delta]]}
 * @param keep           which weights are tested and exported: {@code best} (by early stopping's monitor, else
 *                       val_loss), {@code best:val_accuracy} or {@code last}
 * @param augmentShift   maximum random shift of training images in pixels; 0 = off
 * @param augmentFlip    mirror training images left-right at random (for data without a handedness)
 * @param augmentCrop    pad training images by this many mirrored pixels and crop them back at random; 0 = off
 *                       (the same transform as {@code augmentShift} with mirrored borders: give one of them)
 * @param augmentRotate  rotate training images by a random angle within ± this many degrees; 0 = off
 * @param augmentScale   zoom training images by a random factor within 1 ± this fraction; 0 = off
 * @param augmentErase   probability of erasing a random rectangle (2–33 % of the image) to black; 0 = off
 * @param labelSmoothing share of each target spread over all classes; 0 = off
 * @param clipNorm       gradient clipping by global norm; 0 = off
 * @param seed           seed of the splits, initialisation, batch order, dropout and augmentation
 * @param deterministic  single-threaded, bit-for-bit repeatable (and exactly resumable) run
 * @param device         cpu, gpu or auto
 * @param tensorboard    also write TensorBoard event files into the run's {@code tensorboard/}
 * @param stepsPerCall   training steps per TensorFlow session call (Keras' {@code steps_per_execution}); 0 = 1
 * @param precision      {@code float32} or {@code mixed_bfloat16} (bfloat16 arithmetic on CPUs that have it, as Keras'
 *                       policy of that name); null = float32
 */
public record ExperimentConfig(
        String preset,
        Map<String, String> data,
        List<String> classes,
        String model,
        @JsonProperty("model_spec") @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode modelSpec,
        double dropout,
        String normalization,
        @JsonProperty("val_fraction") double valFraction,
        @JsonProperty("test_fraction") double testFraction,
        int limit,
        int epochs,
        @JsonProperty("batch_size") int batchSize,
        String optimizer,
        double lr,
        @JsonProperty("weight_decay") double weightDecay,
        String schedule,
        @JsonProperty("early_stopping") String earlyStopping,
        String keep,
        @JsonProperty("augment_shift") int augmentShift,
        @JsonProperty("augment_flip") boolean augmentFlip,
        @JsonProperty("augment_crop") int augmentCrop,
        @JsonProperty("augment_rotate") double augmentRotate,
        @JsonProperty("augment_scale") double augmentScale,
        @JsonProperty("augment_erase") double augmentErase,
        @JsonProperty("label_smoothing") double labelSmoothing,
        @JsonProperty("clip_norm") double clipNorm,
        long seed,
        boolean deterministic,
        String device,
        boolean tensorboard,
        @JsonProperty("steps_per_call") int stepsPerCall,
        String precision) {

    /** The {@code model} value of a config whose model spec is given inline, in {@code model_spec}. */
    public static final String INLINE = "inline";
    /** The default normalisation: standardise with the training split's own statistics per channel. */
    public static final String FIT = "fit";

    /** As strict as the command line: no 2.7 for a whole number, no "5" for a number, each key once. */
    private static final ObjectMapper JSON = StrictJson.strict(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = StrictJson.strict(YAMLMapper.builder()).build();

    /** Validates every field (the training part through {@link #training()}); messages name the field. */
    public ExperimentConfig {
        preset = preset == null ? "custom" : preset;
        data = data == null ? Map.of() : Map.copyOf(data);
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (classes.stream().anyMatch(c -> c == null || c.isBlank())
                || new HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("classes must be distinct class names, got " + classes);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be a model preset name, a spec file or a spec");
        }
        if (model.equals(INLINE) != (modelSpec != null)) {
            throw new IllegalArgumentException("model_spec goes with model: " + INLINE + " (got model " + model
                    + (modelSpec == null ? " without" : " with") + " model_spec)");
        }
        if (modelSpec != null) {
            ModelSpecs.fromTree(modelSpec);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        fraction("val_fraction", valFraction);
        fraction("test_fraction", testFraction);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be ≥ 0 (0 = all samples), got " + limit);
        }
        normalization = normalization == null ? FIT : normalization;
        normalization(normalization, 255);
        keep = keep == null ? "best" : keep;
        precision = precision == null ? Precision.FLOAT32.key() : precision;
        training(epochs, batchSize, optimizer, lr, weightDecay, schedule, earlyStopping, keep, augmentShift,
                augmentFlip, augmentCrop, augmentRotate, augmentScale, augmentErase, labelSmoothing, clipNorm, seed,
                deterministic, device, stepsPerCall, precision);
    }

    /** The recipe in one console line: epochs, batch, optimizer and rate, schedule, then what is switched on. */
    String describeTraining() {
        List<String> parts = new ArrayList<>(List.of(epochs + (epochs == 1 ? " epoch" : " epochs"),
                "batch " + batchSize, optimizer + " lr " + plain(lr), schedule + " schedule"));
        addIf(parts, weightDecay > 0, "weight decay " + plain(weightDecay));
        addIf(parts, dropout > 0, "dropout " + plain(dropout));
        addIf(parts, labelSmoothing > 0, "label smoothing " + plain(labelSmoothing));
        addIf(parts, clipNorm > 0, "gradient clipping at norm " + plain(clipNorm));
        addIf(parts, EarlyStoppingConfig.parse(orEmpty(earlyStopping)) != null, "early stopping " + earlyStopping);
        Precision arithmetic = Precision.parse(precision);
        addIf(parts, arithmetic != Precision.FLOAT32, arithmetic.key());
        return String.join(", ", parts);
    }

    /** The training-image augmentations that are on, in one console line, or "none". */
    String describeAugmentation() {
        List<String> parts = new ArrayList<>();
        addIf(parts, augmentShift > 0, "shifts up to " + augmentShift + " px");
        addIf(parts, augmentCrop > 0, "mirrored crops up to " + augmentCrop + " px");
        addIf(parts, augmentFlip, "left-right flips");
        addIf(parts, augmentRotate > 0, "rotations up to " + plain(augmentRotate) + "°");
        addIf(parts, augmentScale > 0, "zoom ±" + plain(augmentScale * 100) + "%");
        addIf(parts, augmentErase > 0, "random erasing with probability " + plain(augmentErase));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static void addIf(List<String> parts, boolean on, String part) {
        if (on) {
            parts.add(part);
        }
    }

    /** 0.1 as "0.1" and 10.0 as "10": numbers as the user typed them. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** The training recipe as the trainer takes it. */
    public TrainingConfig training() {
        return training(epochs, batchSize, optimizer, lr, weightDecay, schedule, earlyStopping, keep, augmentShift,
                augmentFlip, augmentCrop, augmentRotate, augmentScale, augmentErase, labelSmoothing, clipNorm, seed,
                deterministic, device, stepsPerCall, precision);
    }

    // Static so the compact constructor can validate with it before the fields are assigned.
    private static TrainingConfig training(int epochs, int batchSize, String optimizer, double lr, double weightDecay,
                                           String schedule, String earlyStopping, String keep, int augmentShift,
                                           boolean augmentFlip, int augmentCrop, double augmentRotate,
                                           double augmentScale, double augmentErase, double labelSmoothing,
                                           double clipNorm, long seed, boolean deterministic, String device,
                                           int stepsPerCall, String precision) {
        OptimizerConfig opt = OptimizerConfig.parse(orEmpty(optimizer), lr).withWeightDecay(weightDecay);
        return new TrainingConfig(epochs, batchSize, opt, ScheduleConfig.parse(orEmpty(schedule)),
                EarlyStoppingConfig.parse(orEmpty(earlyStopping)), clipNorm, seed, deterministic,
                Device.parse(orEmpty(device)), augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, BatchSampler.LastBatch.KEEP, KeepWeights.parse(keep), stepsPerCall,
                Precision.parse(precision));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /**
     * The pixel transform for training data with full intensity {@code pixelMax}; {@code fit} needs the
     * training split and is resolved by the caller. {@code standardize:MEAN:STD} takes one value for all channels
     * or one per channel ({@code standardize:0.485,0.456,0.406:0.229,0.224,0.225}).
     */
    public static Normalization normalization(String text, double pixelMax) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
        return switch (parts[0]) {
            case "none" -> parts.length == 1 ? Normalization.none() : badNormalization(text);
            case "scale", FIT -> parts.length == 1 ? Normalization.scale(pixelMax) : badNormalization(text);
            case "standardize" -> {
                if (parts.length != 3) {
                    yield badNormalization(text);
                }
                try {
                    yield Normalization.standardize(numbers(parts[1]), numbers(parts[2]), pixelMax);
                } catch (NumberFormatException e) {
                    yield badNormalization(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("normalization '" + text + "': " + e.getMessage(), e);
                }
            }
            default -> badNormalization(text);
        };
    }

    private static List<Double> numbers(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",", -1)).map(String::trim).map(Double::valueOf).toList();
    }

    /** The inline model spec, or null when {@code model} names a preset or a file. */
    public ModelSpec inlineModel() {
        return modelSpec == null ? null : ModelSpecs.fromTree(modelSpec);
    }

    /** Whether the normalisation is fitted on the training split. */
    public boolean fitsNormalization() {
        return normalization.trim().equalsIgnoreCase(FIT);
    }

    /**
     * This config with the non-null entries of {@code overrides} (keys as in the JSON form) replacing its own; a
     * {@code model} override replaces an inline model spec too.
     */
    public ExperimentConfig with(Map<String, Object> overrides) {
        ObjectNode node = JSON.valueToTree(this);
        overrides.forEach((key, value) -> {
            if (value != null) {
                node.set(key, JSON.valueToTree(value));
            }
        });
        inlineModel(node);
        if (overrides.get("model") instanceof String name && !name.equals(INLINE)) {
            node.remove("model_spec");
        }
        return fromTree(node);
    }

    /**
     * Reads a config file (through {@link UserFiles}: a regular file of at most a megabyte) as strictly as the
     * command line reads flags. Keys it leaves out come from its {@code preset} (or {@code fallbackPreset} when it
     * names none).
     *
     * @throws InvalidDataException naming the file, the line and the bad key or value
     */
    public static ExperimentConfig read(Path file, String fallbackPreset) {
        String text = UserFiles.readText(file, "config file", UserFiles.TEXT_LIMIT);
        ObjectMapper mapper = isYaml(file) ? YAML : JSON;
        JsonNode node;
        try {
            node = StrictJson.readTree(mapper, text);
        } catch (JsonProcessingException e) {
            throw invalid(file, StrictJson.problem(e, mapper, text));
        }
        if (node == null || !node.isObject()) {
            throw InvalidDataException.of(file, "expected a JSON/YAML object of experiment settings, found "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString()
                    .toLowerCase(Locale.ROOT)));
        }
        for (String key : List.of("model", "model_spec")) {
            if (node.get(key) instanceof ObjectNode spec) {
                // Checked here against the file's own lines; the constructor checks it again without them.
                try {
                    mapper.treeToValue(spec, ModelSpec.class);
                } catch (JsonProcessingException e) {
                    throw invalid(file, StrictJson.problem(e, mapper, text, key));
                }
            }
        }
        try {
            inlineModel((ObjectNode) node);
            String presetName = node.hasNonNull("preset") ? node.get("preset").asText() : fallbackPreset;
            ExperimentConfig base;
            if (presetName != null && !presetName.equals("custom")) {
                base = Experiments.preset(presetName);
            } else if (node.hasNonNull("model")) {
                // The custom recipe; its model is then replaced by the file's (preset, file or inline spec).
                base = Experiments.custom("logreg");
            } else {
                throw new IllegalArgumentException("give a preset (" + String.join(", ", Experiments.names())
                        + ") or a model");
            }
            ObjectNode merged = JSON.valueToTree(base);
            if (node.has("model")) {
                merged.remove("model_spec");
            }
            merged.setAll((ObjectNode) node);
            return JSON.treeToValue(merged, ExperimentConfig.class);
        } catch (JsonProcessingException e) {
            throw invalid(file, StrictJson.problem(e, mapper, text));
        } catch (IllegalArgumentException e) {
            throw InvalidDataException.of(file, e.getMessage());
        }
    }

    private static InvalidDataException invalid(Path file, StrictJson.Problem problem) {
        return InvalidDataException.at(file, problem.line(), problem.column(), problem.message());
    }

    /** Writes this config as JSON into {@code runDir/config.json}, atomically. */
    void write(RunDirectory run) {
        run.writeJson(RunDirectory.CONFIG, this);
    }

    /** {@code model: {spec}} becomes {@code model: inline, model_spec: {spec}}. */
    private static void inlineModel(ObjectNode node) {
        JsonNode model = node.get("model");
        if (model != null && model.isObject()) {
            node.set("model_spec", model);
            node.put("model", INLINE);
        }
    }

    private static ExperimentConfig fromTree(JsonNode node) {
        try {
            return JSON.treeToValue(node, ExperimentConfig.class);
        } catch (IOException e) {
            // A value the constructor rejected arrives wrapped; its own message names the field.
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException(firstLine(cause.getMessage()), cause);
        }
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static Normalization badNormalization(String text) {
        throw new IllegalArgumentException("normalization '" + text
                + "': expected fit, standardize:MEAN:STD (values in [0, 1] pixel units, one or one per channel), "
                + "scale or none");
    }

    private static void fraction(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }
}
