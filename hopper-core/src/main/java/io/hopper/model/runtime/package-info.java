/**
 * The training runtime: a {@link io.hopper.model.runtime.TrainableModel} trains a {@link io.hopper.model.Network}
 * on packed buffers ({@link io.hopper.data.PackedBuffer}, or {@link io.hopper.model.runtime.MultiBuffer} for networks
 * with several inputs and outputs) with Keras 2 losses, metrics and optimizers, and exports its whole training state (weights,
 * non-trainable arrays and optimizer state) as one portable byte array that can be imported in another thread or
 * JVM, which is what Model Hopper Parallelism moves between workers.
 *
 * <p>Gradients are computed with PyTorch's per-thread grad mode (never DJL's {@code GradientCollector}, whose flag is
 * JVM-wide), so several models can train at the same time in different threads.
 */
package io.hopper.model.runtime;
