/**
 * DigitLab evaluation: {@link org.digitlab.evaluation.ClassificationReport} (scikit-learn compatible metrics and text
 * report), {@link org.digitlab.evaluation.ReportFiles} (text, JSON, CSV, Markdown files) and
 * {@link org.digitlab.evaluation.Plots} (PNG charts). Arrays and records only; no TensorFlow.
 */
package org.digitlab.evaluation;
