/**
 * ONNX model files written with protobuf-java from the field numbers of ONNX's published schema (onnx.proto): a graph
 * builder of nodes, initializers, inputs and outputs, and its serialization. No Keras or DJL here: the keras package
 * builds the graph from its layers.
 */
package io.hopper.model.onnx;
