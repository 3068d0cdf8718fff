package org.digitlab.model;

import java.nio.file.Path;

/** Run in a separate JVM by a test: prints the probabilities a SavedModel gives for test images. */
public final class SavedModelProbe {
    private SavedModelProbe() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[1]);
        float[] images = Harness.images(n, 8, 8, 1, 3, new int[n], Long.parseLong(args[2]));
        try (SavedModelPredictor predictor = SavedModelPredictor.open(Path.of(args[0]))) {
            StringBuilder out = new StringBuilder();
            for (float[] row : predictor.predict(images, n)) {
                for (float p : row) {
                    out.append(Float.floatToIntBits(p)).append(' ');
                }
            }
            System.out.println("PROBS " + out.toString().trim());
        }
    }
}
