/**
 * The Spark engine: MOP units as one-partition Spark jobs, the packed partitions living (and, with caching,
 * cached) on the executors.
 *
 * <p>{@link io.hopper.engine.spark.SparkEngine} implements {@link io.hopper.engine.Engine}: the driver keeps every
 * model state; a unit ships its state to the executor pinned to the unit's partition (by the task's preferred
 * location) and gets the new state back. Nothing outside this module refers to Spark: the CLI loads
 * {@link io.hopper.engine.spark.SparkEngines} by name only for {@code --engine spark}.
 */
package io.hopper.engine.spark;
