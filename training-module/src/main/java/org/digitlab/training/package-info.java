/**
 * DigitLab training: a Keras-style {@link org.digitlab.training.Trainer} ({@code fit(train, validation)} returning a
 * {@link org.digitlab.training.TrainingResult} with its {@link org.digitlab.training.History}), optimizers built from
 * TensorFlow's raw training kernels ({@link org.digitlab.training.OptimizerConfig}), learning-rate schedules as pure
 * functions ({@link org.digitlab.training.LearningRateSchedule}, {@link org.digitlab.training.ScheduleConfig}) plus
 * reduce-on-plateau, early stopping, per-epoch atomic checkpoints with exact resume, device selection and
 * {@link org.digitlab.training.TrainingListener}s for everything optional.
 */
package org.digitlab.training;
