/**
 * AutoML on top of fit-multiple-model: MADlib's Hyperband (madlib_keras_automl), asynchronous successive halving
 * (ASHA) and plain random search, each drawing its configurations with generate_model_configs' random search.
 * Hyperband and random search continue promoted configurations with fit-multiple-model's warm start; ASHA runs as one
 * fit session ({@link io.hopper.automl.AshaSession} driving {@code FitMultipleModel.runSession}).
 *
 * <p>The schedules ({@link io.hopper.automl.HyperbandSchedule}, {@link io.hopper.automl.Asha}) and the ranking
 * ({@link io.hopper.automl.Score}) are pure logic, without I/O or threads; {@link io.hopper.automl.AutoMl} runs them
 * against a store and writes O, O_info (with each configuration's bracket and round, or rung) and O_summary (and
O_schedule for ASHA).
 */
package io.hopper.automl;
