/**
 * A fit-multiple-model run: validation before any work, the memory estimate, initial and warm-started states,
 * iterations driving a MOP scheduler over an {@link io.hopper.engine.Engine}, metrics at their frequency, and
 * MADlib's output tables (O, O_info, O_summary) plus O_schedule, written only when the run succeeds.
 *
 * <p>A fit session ({@link io.hopper.fit.FitSession}, {@code FitMultipleModel.runSession}) runs a changing set of
 * configurations with their own epochs on {@link io.hopper.mop.DynamicScheduler}, steered by a driver that hears every
 * finished configuration epoch and every idle worker (ASHA uses it).
 *
 * <p>Entry point: {@link io.hopper.fit.FitMultipleModel}. It consumes the plain spec and result records of
 * {@code io.hopper.api} ({@code FitSpec}, {@code FitResult}); the facade {@code Hopper} calls it.
 */
package io.hopper.fit;
