/**
 * AutoML on the fit's loop: MADlib's Hyperband (madlib_keras_automl), asynchronous successive halving (ASHA) and
 * plain random search, each drawing its configurations with generate_model_configs' random search and training them
 * in one fit session in memory ({@link io.hopper.automl.HyperbandSession}, {@link io.hopper.automl.AshaSession},
 * {@link io.hopper.automl.RandomSession} driving {@code FitMultipleModel.session}) on the engine it is given.
 *
 * <p>The schedules ({@link io.hopper.automl.HyperbandSchedule}, {@link io.hopper.automl.Asha}) and the ranking
 * ({@link io.hopper.automl.Score}) are pure logic, without I/O or threads; {@link io.hopper.automl.AutoMl} runs them
 * and writes O, O_info ({@link io.hopper.automl.SearchInfo}: a fit's columns with each configuration's bracket and
 * round, or rung), O_summary ({@link io.hopper.automl.SearchSummary}: a fit's columns with the search's) and
 * O_schedule.
 */
package io.hopper.automl;
