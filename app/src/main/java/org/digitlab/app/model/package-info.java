/**
 * Trained model directories as the app reads them: {@link org.digitlab.app.model.ModelDirectory} opens what
 * {@code digitlab train} wrote (SavedModel, model spec, normalisation, dataset description) and predicts exactly
 * as training saw the data; {@link org.digitlab.app.model.TestReportWriter} writes the report files shared by
 * {@code train} and {@code evaluate}.
 */
package org.digitlab.app.model;
