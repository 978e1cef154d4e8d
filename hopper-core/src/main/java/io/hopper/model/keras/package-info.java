/**
 * Keras architectures on DJL: parses Keras 2 {@code model.to_json()} documents into a validated layer graph,
 * reports Keras-exact parameter counts, and builds a PyTorch-backed DJL block with Keras's initializers,
 * layouts and weight order.
 */
package io.hopper.model.keras;
