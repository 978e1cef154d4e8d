package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Keras 3's operation layers (a {@code keras.ops} call or tensor arithmetic inside a functional model becomes a layer
 * of the op's class, module keras.src.ops.*): binary arithmetic with numbers or tensors, NotEqual for masks, Cast.
 */
final class OpLayers {
    private OpLayers() {
    }

    /** The binary operations of keras.ops that functional models use on tensors and numbers. */
    enum Op { ADD, SUBTRACT, MULTIPLY, DIVIDE, MAXIMUM, MINIMUM, NOT_EQUAL }

    /** The op of a Keras 3 op layer's class, or null when Hopper has none of that name. */
    static Op op(String className) {
        return switch (className) {
            case "Add" -> Op.ADD;
            case "Subtract" -> Op.SUBTRACT;
            case "Multiply" -> Op.MULTIPLY;
            case "Divide", "TrueDivide" -> Op.DIVIDE;
            case "Maximum" -> Op.MAXIMUM;
            case "Minimum" -> Op.MINIMUM;
            case "NotEqual" -> Op.NOT_EQUAL;
            default -> null;
        };
    }

    /**
     * A binary keras.ops call ({@code x + 3.0}, {@code x * (1 / 6)}, {@code keras.ops.not_equal(x, 0)}, ...): two tensors
     * (broadcasting as NumPy does) or a tensor and a number on either side. NotEqual gives 1 where the operands differ,
     * else 0 (models use it to build masks).
     */
    static final class Binary extends Layer {
        private final Op op;
        private final Double constant;
        private final boolean constantFirst;

        Binary(LayerConfig c, Op op, JsonNode firstCall) {
            super(c);
            this.op = op;
            JsonNode args = firstCall == null ? null : firstCall.isArray() ? tfOpArgs(c, firstCall) : firstCall.path("args");
            if (args == null || !args.isArray() || args.size() != 2) {
                throw c.error("is an op layer without its two call arguments; pass the output of Keras 3 model.to_json()");
            }
            JsonNode first = args.get(0);
            JsonNode second = args.get(1);
            if (KerasGraph.isKerasTensor(first) && KerasGraph.isKerasTensor(second)) {
                constant = null;
                constantFirst = false;
            } else if (KerasGraph.isKerasTensor(first) || KerasGraph.isKerasTensor(second)) {
                JsonNode number = KerasGraph.isKerasTensor(first) ? second : first;
                if (!number.isNumber()) {
                    throw c.error("combines a tensor with " + number + "; Hopper takes a number or a tensor, so use one");
                }
                constant = number.asDouble();
                constantFirst = !KerasGraph.isKerasTensor(first);
            } else {
                throw c.error("is called without a tensor; connect it to the graph");
            }
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (inputs.size() != (constant == null ? 2 : 1)) {
                throw error("receives " + inputs.size() + " tensors; combine one tensor with a number or two tensors");
            }
            if (constant != null) {
                return List.of(inputs.get(0));
            }
            Shape out = MergeLayers.Elementwise.broadcast(inputs.get(0), inputs.get(1));
            if (out == null) {
                throw error("operand shapes " + Shapes.keras(inputs.get(0)) + " and " + Shapes.keras(inputs.get(1)) + " do not broadcast; fix them");
            }
            return List.of(out);
        }

        @Override
        boolean passesMask() {
            return op != Op.NOT_EQUAL;
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            NDArray a;
            NDArray b;
            if (constant == null) {
                int rank = Math.max(inputs.get(0).getShape().dimension(), inputs.get(1).getShape().dimension());
                a = MergeLayers.Elementwise.aligned(inputs.get(0), rank);
                b = MergeLayers.Elementwise.aligned(inputs.get(1), rank);
            } else {
                NDArray x = inputs.get(0);
                NDArray k = x.getManager().create(constant.floatValue()).toType(x.getDataType(), false);
                a = constantFirst ? k : x;
                b = constantFirst ? x : k;
            }
            NDArray y = switch (op) {
                case ADD -> a.add(b);
                case SUBTRACT -> a.sub(b);
                case MULTIPLY -> a.mul(b);
                case DIVIDE -> a.div(b);
                case MAXIMUM -> a.maximum(b);
                case MINIMUM -> a.minimum(b);
                case NOT_EQUAL -> a.neq(b).toType(DataType.FLOAT32, false);
            };
            return new NDList(y);
        }
    }

    /** The TensorFlow functions a tf.keras TFOpLambda may call, as binary ops. */
    static Op tfOp(String function) {
        return switch (function) {
            case "__operators__.add", "math.add" -> Op.ADD;
            case "math.subtract", "__operators__.sub" -> Op.SUBTRACT;
            case "math.multiply", "__operators__.mul" -> Op.MULTIPLY;
            case "math.truediv", "math.divide", "__operators__.truediv" -> Op.DIVIDE;
            case "math.maximum" -> Op.MAXIMUM;
            case "math.minimum" -> Op.MINIMUM;
            case "math.not_equal" -> Op.NOT_EQUAL;
            default -> null;
        };
    }

    /**
     * A tf.keras TFOpLambda call [[x_layer, node, tensor, {"y": 3.0 or [layer, node, tensor], ...}]] as Keras 3's args:
     * the first tensor and y (a number, or a marker standing for the tensor the graph appends as the second input).
     */
    private static JsonNode tfOpArgs(LayerConfig c, JsonNode call) {
        // tf.keras writes a one-tensor call flat, [layer, node, tensor, kwargs], and otherwise as a list of such entries.
        JsonNode entry = call.isEmpty() ? null : call.get(0).isTextual() ? call : call.get(0);
        JsonNode kwargs = entry != null && entry.isArray() && entry.size() > 3 ? entry.get(3) : null;
        JsonNode y = kwargs == null ? null : kwargs.get("y");
        if (y == null) {
            throw c.error("is a TFOpLambda call without its 'y' argument; pass the output of tf.keras model.to_json()");
        }
        com.fasterxml.jackson.databind.node.ObjectNode tensor = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("class_name", "__keras_tensor__");
        com.fasterxml.jackson.databind.node.ArrayNode args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(tensor);
        return args.add(y.isArray() ? tensor : y);
    }

    /** Keras 3's Cast op: Hopper's tensors are float32 already (masks are 0/1), so it hands its input on. */
    static final class Cast extends Layer.Elementwise {
        Cast(LayerConfig c) {
            super(c);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return x.toType(DataType.FLOAT32, false);
        }
    }
}
