/**
 * Keras architectures on DJL: parses Keras 2 and Keras 3 {@code model.to_json()} documents into a validated layer
 * graph, reports Keras-exact parameter counts, and builds a PyTorch-backed DJL block with Keras's initializers,
 * layouts and weight order. Every layer is a record-like object built once from its config (docs/keras.md lists them).
 *
 * <p>Entry points: {@link io.hopper.model.keras.KerasArchitecture#parse(String)} (refuses Keras 1 documents, Lambda
 * layers, registered custom classes, unknown layer classes, regularizers and constraints with a one-line message),
 * {@link io.hopper.model.keras.KerasArchitecture#summary()} and {@link io.hopper.model.keras.KerasNetwork}, the
 * {@link io.hopper.model.Network} the runtime trains. Weights are DJL parameters in Keras's get_weights() order and
 * Keras layout (a Conv2D kernel is [kh, kw, in, out] and is permuted inside the forward pass), so MADlib-style weight
 * arrays load directly; BatchNormalization's moving statistics are parameters without gradient that the training
 * forward pass updates in place.
 */
package io.hopper.model.keras;
