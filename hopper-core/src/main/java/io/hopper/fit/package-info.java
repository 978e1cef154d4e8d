/**
 * A fit-multiple-model run: validation before any work, the memory estimate, initial and warm-started states,
 * iterations driving a MOP scheduler over an {@link io.hopper.engine.Engine}, metrics at their frequency, and
 * MADlib's output tables (O, O_info, O_summary) plus O_schedule, written only when the run succeeds.
 *
 * <p>Entry point: {@link io.hopper.fit.FitMultipleModel}. It consumes the plain spec and result records of
 * {@code io.hopper.api} ({@code FitSpec}, {@code FitResult}); the facade {@code Hopper} calls it.
 */
package io.hopper.fit;
