/**
 * Declarative models turned into TensorFlow Java graphs.
 *
 * <ul>
 *   <li>{@link org.digitlab.model.ModelSpec} (with {@link org.digitlab.model.LayerSpec} and {@link
 *       org.digitlab.model.Head}): immutable, validated, JSON/YAML via {@link
 *       org.digitlab.model.ModelSpecs}; {@link org.digitlab.model.Presets} holds the reference
 *       architectures; {@link org.digitlab.model.LayerSummary} is one layer's output shape, parameters and
 *       FLOPs.
 *   <li>{@link org.digitlab.model.ModelGraph}: forward pass, loss, accuracy and named variables of a
 *       spec inside a caller's graph; the caller owns optimisation.
 *   <li>{@link org.digitlab.model.VariableCheckpoint}: save/restore of an explicit variable set.
 *   <li>{@link org.digitlab.model.SavedModelExport} and {@link
 *       org.digitlab.model.SavedModelPredictor}: the {@code serving_default} SavedModel.
 * </ul>
 */
package org.digitlab.model;
