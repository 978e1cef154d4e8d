/**
 * A fit-multiple-model run as plan -> loop -> record: {@link io.hopper.fit.FitPlanner} validates every input before
 * any work, checks the memory estimate and builds each configuration's first state ({@link io.hopper.fit.FitPlan});
 * {@link io.hopper.fit.UnitLoop} hands units to an {@link io.hopper.engine.Engine}, paced by iterations (a MOP
 * scheduler) or by a {@link io.hopper.fit.FitSession} (a driver steering {@link io.hopper.mop.DynamicScheduler}),
 * into a {@link io.hopper.fit.FitRun}; {@link io.hopper.fit.FitRecorder} writes MADlib's output tables (O, O_info,
 * O_summary) plus O_schedule, only when the run succeeds.
 *
 * <p>The output tables are typed: {@link io.hopper.fit.ModelRow}, {@link io.hopper.fit.InfoRow},
 * {@link io.hopper.fit.SummaryRow} and {@link io.hopper.fit.ScheduleRow}, each with its one codec, read and written
 * through {@link io.hopper.fit.OutputTables}. {@link io.hopper.fit.LoopListener} and
 * {@link io.hopper.fit.ConfigState#replace} are the loop's hook points.
 *
 * <p>Entry point: {@link io.hopper.fit.FitMultipleModel}; the facade {@code Hopper} calls it.
 */
package io.hopper.fit;
