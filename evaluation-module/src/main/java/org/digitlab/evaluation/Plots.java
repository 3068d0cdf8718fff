package org.digitlab.evaluation;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PNG plots of an evaluation: training curves, confusion-matrix heatmap, misclassified-image grid and ROC curve,
 * and the validation curves of a hyper-parameter sweep.
 * Everything renders off-screen; run with {@code -Djava.awt.headless=true} on machines without a display.
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);
    private static final Color LEARNING_RATE = new Color(44, 160, 44);
    /** The chosen trial of a sweep plot. */
    static final Color CHOSEN = new Color(214, 39, 40);
    /** The other trials of a sweep plot: muted tab10 shades without the chosen one's red. */
    private static final Color[] OTHERS = {new Color(31, 119, 180, 150), new Color(255, 127, 14, 150),
        new Color(44, 160, 44, 150), new Color(148, 103, 189, 150), new Color(140, 86, 75, 150),
        new Color(227, 119, 194, 150), new Color(127, 127, 127, 150), new Color(188, 189, 34, 150),
        new Color(23, 190, 207, 150)};
    private static final int MAX_LEGEND = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Plots.class);

    private Plots() {
    }

    /**
     * Whether this JVM can draw text, which every plot needs. A headless server without fontconfig or any font
     * (a slim container, say) fails deep inside AWT on the first string drawn; callers then skip their plots
     * rather than lose the run's other results. Probed once; the first failure is logged with the fix.
     */
    public static boolean canDrawText() {
        return TextProbe.PROBLEM.isEmpty();
    }

    private static final class TextProbe {
        static final Optional<String> PROBLEM = textProblem(Plots::drawSampleText);

        static {
            PROBLEM.ifPresent(problem -> LOG.warn("plots skipped: Java cannot draw text on this machine ({}); "
                    + "install fontconfig and a font, e.g. apt-get install fontconfig fonts-dejavu-core", problem));
        }
    }

    /** Why {@code draw} could not draw text, or empty when it could. */
    static Optional<String> textProblem(Runnable draw) {
        try {
            draw.run();
            return Optional.empty();
        } catch (RuntimeException | LinkageError | InternalError | AWTError e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return Optional.of(cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage());
        }
    }

    private static void drawSampleText() {
        Graphics2D g = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("0", 0, 8);
        } finally {
            g.dispose();
        }
    }

    /** Encodes {@code image} as PNG and writes it atomically, creating parent directories. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /**
     * Three stacked panels over epochs: loss (train vs validation), accuracy (train vs validation) and the learning
     * rate. Validation lines are left out when every validation value is NaN.
     */
    public static BufferedImage trainingCurves(List<EpochRecord> history) {
        if (history.isEmpty()) {
            throw new EvaluationInputException("training history is empty; nothing to plot");
        }
        // Legends sit where the curves usually are not: loss falls, accuracy rises.
        BufferedImage loss = curvePanel("Loss", "loss", history, EpochRecord::trainLoss, EpochRecord::valLoss,
                Styler.LegendPosition.InsideNE);
        BufferedImage accuracy = curvePanel("Accuracy", "accuracy", history, EpochRecord::trainAccuracy,
                EpochRecord::valAccuracy, Styler.LegendPosition.InsideSE);
        XYChart lr = chart("Learning rate", "learning rate", 240);
        lr.getStyler().setLegendVisible(false);
        double min = history.stream().mapToDouble(EpochRecord::learningRate).min().orElse(1);
        double max = history.stream().mapToDouble(EpochRecord::learningRate).max().orElse(1);
        if (logRateAxis(min, max)) {
            lr.getStyler().setYAxisLogarithmic(true);
        } else {
            lr.getStyler().setYAxisMin(0.0);
            lr.getStyler().setYAxisMax(max > 0 ? max * 1.15 : 1.0);
        }
        lr.getStyler().setYAxisDecimalPattern("0.0##E0");
        addSeries(lr, "learning rate", history, EpochRecord::learningRate, LEARNING_RATE, SeriesLines.SOLID);
        return stack(loss, accuracy, BitmapEncoder.getBufferedImage(lr));
    }

    /**
     * Whether rates between {@code min} and {@code max} read better on a log axis: step and exponential decays do
     * (they become steps and lines); rates that fall to about zero (cosine, one-cycle, below a ten-thousandth of
     * the peak) do not, since the log axis would spend most of its height on the last few near-zero epochs.
     */
    static boolean logRateAxis(double min, double max) {
        return min > 0 && max / min > 10 && max / min <= 1e4;
    }

    /**
     * Heatmap of the confusion matrix: cell colour is the row-normalised rate (share of the true class), the text is
     * the count; rows are true classes, columns predicted classes.
     */
    public static BufferedImage confusionMatrix(ClassificationReport report) {
        long[][] counts = report.confusionMatrix().counts();
        double[][] rates = report.confusionMatrix().rowNormalized();
        List<String> names = report.classNames();
        int k = counts.length;
        int cell = Math.max(26, Math.min(64, 640 / k));
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font cellFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, Math.min(15, cell / 3)));
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        FontMetrics fm = metrics(labelFont);
        int nameWidth = names.stream().mapToInt(fm::stringWidth).max().orElse(0);
        int left = 40 + nameWidth + 10;
        int top = 70;
        int bottom = 50 + Math.max(nameWidth, fm.getHeight());
        int width = Math.max(left + k * cell + 30, 420);
        int height = top + k * cell + bottom;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        g.setFont(titleFont);
        centered(g, "Confusion matrix (colour: share of true class)", width / 2, 28);
        g.setFont(labelFont);
        g.drawString("rows: true class, columns: predicted class", 10, 52);
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(blues(rates[t][p]));
                g.fillRect(x, y, cell, cell);
                g.setColor(rates[t][p] > 0.5 ? Color.WHITE : Color.BLACK);
                g.setFont(cellFont);
                centered(g, Long.toString(counts[t][p]), x + cell / 2,
                        y + cell / 2 + g.getFontMetrics().getAscent() / 2 - 2);
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(left, top, k * cell, k * cell);
        g.setColor(Color.BLACK);
        g.setFont(labelFont);
        // Column labels stay horizontal when they fit in a cell, otherwise run upwards and end at the matrix.
        boolean rotate = nameWidth > cell - 4;
        for (int i = 0; i < k; i++) {
            String name = names.get(i);
            g.drawString(name, left - 8 - fm.stringWidth(name), top + i * cell + cell / 2 + fm.getAscent() / 2 - 2);
            int cx = left + i * cell + cell / 2;
            if (rotate) {
                AffineTransform saved = g.getTransform();
                g.translate(cx + fm.getAscent() / 2 - 2, top + k * cell + 8 + fm.stringWidth(name));
                g.rotate(-Math.PI / 2);
                g.drawString(name, 0, 0);
                g.setTransform(saved);
            } else {
                centered(g, name, cx, top + k * cell + 8 + fm.getAscent());
            }
        }
        g.setFont(labelFont.deriveFont(Font.BOLD));
        centered(g, "predicted", left + k * cell / 2, height - 10);
        AffineTransform saved = g.getTransform();
        g.translate(22, top + k * cell / 2);
        g.rotate(-Math.PI / 2);
        centered(g, "true", 0, 0);
        g.setTransform(saved);
        g.dispose();
        return image;
    }

    /**
     * A grid of up to {@code maxImages} misclassified images, each captioned with its true and predicted class and,
     * when {@code files} is given, the name of its file. Pixels are {@code n × height × width × channels}
     * row-major, channels last: 3 channels are shown in colour, any other count as the mean of its channels. Levels
     * are scaled from the shown images' min..max and small images are enlarged (nearest neighbour) to about 112
     * pixels.
     *
     * @param files the file of each image, or null when the images came from no files of their own
     */
    public static BufferedImage misclassifiedGrid(float[] pixels, int height, int width, int channels, int[] yTrue,
                                                  int[] yPred, List<String> classNames, List<String> files,
                                                  int maxImages) {
        int pixelsPerImage = height * width * Math.max(channels, 1);
        if (height < 1 || width < 1 || channels < 1 || pixels.length % pixelsPerImage != 0) {
            throw new EvaluationInputException("pixel array of length " + pixels.length + " is not a whole number of "
                    + height + "x" + width + "x" + channels + " images");
        }
        int n = pixels.length / pixelsPerImage;
        if (yTrue.length != n || yPred.length != n || (files != null && files.size() != n)) {
            throw new EvaluationInputException("expected " + n + " true and predicted labels (one per image), found "
                    + yTrue.length + " and " + yPred.length + (files == null ? "" : " and " + files.size() + " files"));
        }
        List<Integer> wrong = spreadOverClasses(yTrue, yPred, maxImages);
        Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        if (wrong.isEmpty()) {
            BufferedImage image = new BufferedImage(400, 60, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = graphics(image);
            g.setFont(captionFont.deriveFont(Font.BOLD, 14f));
            centered(g, "No misclassified images", 200, 36);
            g.dispose();
            return image;
        }
        int scale = Math.max(1, Math.round(112f / Math.max(height, width)));
        int tileW = Math.max(width * scale, 96);
        int captionLines = files == null ? 2 : 3;
        int tileH = height * scale + 18 * captionLines;
        int cols = Math.min(wrong.size(), Math.max(1, (int) Math.ceil(Math.sqrt(wrong.size() * 1.5))));
        int rows = (wrong.size() + cols - 1) / cols;
        int pad = 8;
        int top = 36;
        BufferedImage image = new BufferedImage(cols * (tileW + pad) + pad, top + rows * (tileH + pad),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        g.setFont(captionFont.deriveFont(Font.BOLD, 15f));
        centered(g, "Misclassified images (" + wrong.size() + " shown)", image.getWidth() / 2, 24);

        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i : wrong) {
            for (int j = 0; j < pixelsPerImage; j++) {
                lo = Math.min(lo, pixels[i * pixelsPerImage + j]);
                hi = Math.max(hi, pixels[i * pixelsPerImage + j]);
            }
        }
        float range = hi > lo ? hi - lo : 1;
        g.setFont(captionFont);
        FontMetrics fm = g.getFontMetrics();
        for (int s = 0; s < wrong.size(); s++) {
            int i = wrong.get(s);
            int x0 = pad + (s % cols) * (tileW + pad);
            int y0 = top + (s / cols) * (tileH + pad);
            BufferedImage tile = tile(pixels, i * pixelsPerImage, height, width, channels, lo, range);
            int xImg = x0 + (tileW - width * scale) / 2;
            g.drawImage(tile, xImg, y0, width * scale, height * scale, null);
            int baseline = y0 + height * scale + fm.getAscent() + 2;
            g.setColor(new Color(0, 110, 0));
            centered(g, "true: " + classNames.get(yTrue[i]), x0 + tileW / 2, baseline);
            g.setColor(new Color(190, 0, 0));
            centered(g, "pred: " + classNames.get(yPred[i]), x0 + tileW / 2, baseline + fm.getAscent() + 3);
            if (files != null) {
                g.setColor(Color.DARK_GRAY);
                centered(g, fitted(fm, Path.of(files.get(i)).getFileName().toString(), tileW), x0 + tileW / 2,
                        baseline + 2 * (fm.getAscent() + 3));
            }
        }
        g.dispose();
        return image;
    }

    /**
     * Up to {@code max} misclassified samples taken in turn from each true class (the first of class 0, of class
     * 1, …, then the second of each), so a test set sorted by class does not show one class only; in index order.
     */
    static List<Integer> spreadOverClasses(int[] yTrue, int[] yPred, int max) {
        java.util.TreeMap<Integer, java.util.ArrayDeque<Integer>> byClass = new java.util.TreeMap<>();
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] != yPred[i]) {
                byClass.computeIfAbsent(yTrue[i], c -> new java.util.ArrayDeque<>()).add(i);
            }
        }
        List<Integer> picked = new ArrayList<>();
        while (picked.size() < max && !byClass.isEmpty()) {
            for (var it = byClass.values().iterator(); it.hasNext() && picked.size() < max; ) {
                java.util.ArrayDeque<Integer> queue = it.next();
                picked.add(queue.poll());
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        }
        picked.sort(null);
        return picked;
    }

    /** One image as an RGB tile, levels scaled from {@code lo} over {@code range}. */
    private static BufferedImage tile(float[] pixels, int start, int height, int width, int channels, float lo,
                                      float range) {
        BufferedImage tile = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int at = start + (r * width + c) * channels;
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    float v;
                    if (channels == 3) {
                        v = pixels[at + k];
                    } else {
                        float sum = 0;
                        for (int j = 0; j < channels; j++) {
                            sum += pixels[at + j];
                        }
                        v = sum / channels;
                    }
                    int level = Math.max(0, Math.min(255, Math.round((v - lo) / range * 255f)));
                    rgb = rgb << 8 | level;
                }
                tile.setRGB(c, r, rgb);
            }
        }
        return tile;
    }

    /** {@code text}, shortened from the front with "…" until it fits {@code width} pixels. */
    private static String fitted(FontMetrics fm, String text, int width) {
        String shown = text;
        while (shown.length() > 1 && fm.stringWidth(shown) > width - 4) {
            shown = shown.substring(1);
        }
        return shown.equals(text) ? text : "…" + shown.substring(Math.min(1, shown.length()));
    }

    /** ROC curve with the chance diagonal; the title carries the AUC. */
    public static BufferedImage rocCurve(BinaryMetrics metrics) {
        XYChart chart = new XYChartBuilder().width(600).height(560)
                .title(String.format(Locale.ROOT, "ROC curve (AUC = %.4f)", metrics.rocAuc()))
                .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        style(chart);
        XYStyler styler = chart.getStyler();
        styler.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setXAxisDecimalPattern("0.0");
        styler.setYAxisDecimalPattern("0.0");
        XYSeries roc = chart.addSeries("ROC", metrics.rocCurve().fpr(), metrics.rocCurve().tpr());
        roc.setMarker(SeriesMarkers.NONE);
        roc.setLineColor(TRAIN);
        roc.setLineWidth(2.5f);
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(SeriesLines.DASH_DASH);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * A hyper-parameter sweep at a glance: the validation metric of every trial against epochs, the chosen trial
     * drawn thick, the other trials thin, and a dashed vertical line at each rung of successive halving (where
     * the trials that stop end). The legend names the trials when there are at most {@value #MAX_LEGEND}.
     *
     * @param metric the metric's name, e.g. {@code val_accuracy}
     * @param rungs  epochs at which trials may stop (empty: none drawn)
     * @param chosen the chosen trial's name, or null
     */
    public static BufferedImage trialCurves(String metric, List<TrialCurve> curves, List<Integer> rungs,
                                            String chosen) {
        if (curves.stream().allMatch(c -> c.epochs().length == 0)) {
            throw new EvaluationInputException("no trial has a finished epoch; nothing to plot");
        }
        String title = metric + " of every trial" + (rungs.isEmpty() ? ""
                : " (rungs at " + String.join(", ", rungs.stream().map(String::valueOf).toList()) + " epochs)");
        XYChart chart = chart(title, metric, 560);
        chart.getStyler().setLegendVisible(curves.size() <= MAX_LEGEND);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TrialCurve c : curves) {
            for (double v : c.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        for (int rung : rungs) {
            XYSeries line = chart.addSeries("rung " + rung, new double[] {rung, rung}, new double[] {lo, hi});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.LIGHT_GRAY);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setShowInLegend(false);
        }
        int shade = 0;
        TrialCurve chosenCurve = null;
        for (TrialCurve c : curves) {
            if (c.trial().equals(chosen)) {
                chosenCurve = c;
            } else {
                addCurve(chart, c, OTHERS[shade++ % OTHERS.length], 1.2f);
            }
        }
        if (chosenCurve != null) {
            addCurve(chart, chosenCurve, CHOSEN, 3.5f).setLabel(chosenCurve.trial() + " (chosen)");
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYSeries addCurve(XYChart chart, TrialCurve curve, Color color, float width) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < curve.epochs().length; i++) {
            if (Double.isFinite(curve.values()[i])) {
                xs.add((double) curve.epochs()[i]);
                ys.add(curve.values()[i]);
            }
        }
        if (xs.isEmpty()) {
            // A trial that failed before its first epoch still gets its legend entry, at no point.
            xs.add(Double.NaN);
            ys.add(Double.NaN);
        }
        XYSeries series = chart.addSeries(curve.trial(), xs, ys);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        series.setMarker(SeriesMarkers.CIRCLE);
        return series;
    }

    private static BufferedImage curvePanel(String title, String yTitle, List<EpochRecord> history,
                                            ToDoubleFunction<EpochRecord> train, ToDoubleFunction<EpochRecord> val,
                                            Styler.LegendPosition legend) {
        XYChart chart = chart(title, yTitle, 320);
        chart.getStyler().setLegendPosition(legend);
        addSeries(chart, "train", history, train, TRAIN, SeriesLines.SOLID);
        addSeries(chart, "validation", history, val, VALIDATION, SeriesLines.DASH_DASH);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart chart(String title, String yTitle, int height) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        style(chart);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    private static void style(XYChart chart) {
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setMarkerSize(6);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setAntiAlias(true);
    }

    /** Adds one line, skipping NaN points; a series with no finite point is left out. */
    private static void addSeries(XYChart chart, String name, List<EpochRecord> history,
                                  ToDoubleFunction<EpochRecord> value, Color color, BasicStroke line) {
        double[] xs = history.stream().filter(e -> Double.isFinite(value.applyAsDouble(e)))
                .mapToDouble(EpochRecord::epoch).toArray();
        double[] ys = history.stream().mapToDouble(value).filter(Double::isFinite).toArray();
        if (xs.length > 0) {
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setLineStyle(line);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static BufferedImage stack(BufferedImage... panels) {
        int height = 0;
        int width = 0;
        for (BufferedImage p : panels) {
            height += p.getHeight();
            width = Math.max(width, p.getWidth());
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        return out;
    }

    /** White-to-dark-blue ramp like matplotlib's "Blues". */
    private static Color blues(double v) {
        double t = Math.max(0, Math.min(1, v));
        return new Color((int) Math.round(247 + (8 - 247) * t), (int) Math.round(251 + (48 - 251) * t),
                (int) Math.round(255 + (107 - 255) * t));
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    private static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static void centered(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
