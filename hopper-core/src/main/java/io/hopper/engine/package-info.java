/**
 * Engines run MOP units on the workers that hold their partitions: an {@link io.hopper.engine.Engine} takes a
 * {@link io.hopper.engine.UnitTask} (plain data: the unit, its phase, the table, the model spec, the state bytes
 * and the unit's seed) and returns a {@link io.hopper.engine.UnitResult} (the new state bytes, loss, samples,
 * timing).
 *
 * <p>Everything a unit needs travels in the task, so an engine may run it in another JVM; the embedded engine is
 * {@link io.hopper.engine.local.LocalEngine}. Wherever a unit runs, {@link io.hopper.engine.UnitRunner} runs it, and
 * {@link io.hopper.engine.UnitSeeds} is the one derivation of its seed.
 */
package io.hopper.engine;
