/**
 * AutoML on top of fit-multiple-model: MADlib's Hyperband (madlib_keras_automl), asynchronous successive halving
 * (ASHA) and plain random search, each drawing its configurations with generate_model_configs' random search and
 * continuing promoted configurations with fit-multiple-model's warm start.
 *
 * <p>The schedules ({@link io.hopper.automl.HyperbandSchedule}, {@link io.hopper.automl.Asha}) and the ranking
 * ({@link io.hopper.automl.Score}) are pure logic, without I/O or threads; {@link io.hopper.automl.AutoMl} runs them
 * against a store and writes O, O_info (with each configuration's bracket and round, or rung) and O_summary.
 */
package io.hopper.automl;
