/**
 * Model Hopper Parallelism scheduling as pure logic: which configuration trains on which partition, on which
 * worker, and when.
 *
 * <p>An engine drives a {@link io.hopper.mop.Scheduler}: it calls {@code start(iteration)}, then asks
 * {@code next(worker)} for every idle worker and reports each handed-out {@link io.hopper.mop.Unit} back with
 * {@code complete} or {@code fail}, asking again for every idle worker after each report, until
 * {@code iterationDone()}. Two schedulers: {@link io.hopper.mop.AsyncScheduler} (Cerebro's randomized
 * asynchronous one) and {@link io.hopper.mop.RotationScheduler} (MADlib's bulk-synchronous rotation).
 * {@link io.hopper.mop.DynamicScheduler} schedules a changing set of configurations, each with its own epochs and
 * target (ASHA's one session), and tells the driver when a configuration's epoch ends.
 * {@link io.hopper.mop.ScheduleSimulator} runs a scheduler in virtual time and
 * {@link io.hopper.mop.ScheduleInvariants} checks any executed schedule against the epoch invariants. No threads,
 * no I/O: everything here runs in microseconds.
 */
package io.hopper.mop;
