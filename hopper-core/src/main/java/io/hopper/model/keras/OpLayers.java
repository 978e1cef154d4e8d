package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Keras 3's operation layers (a {@code keras.ops} call inside a functional model becomes a layer of the op's class):
 * the ones models use to build masks.
 */
final class OpLayers {
    private OpLayers() {
    }

    /** Keras 3's NotEqual op ({@code keras.ops.not_equal(x, c)}): 1 where x differs from a constant or a second tensor, else 0. */
    static final class NotEqual extends Layer {
        private final Double constant;

        NotEqual(LayerConfig c, JsonNode firstCall) {
            super(c);
            JsonNode args = firstCall == null ? null : firstCall.path("args");
            if (args == null || !args.isArray() || args.size() != 2) {
                throw c.error("is an op layer without its two call arguments; pass the output of Keras 3 model.to_json()");
            }
            JsonNode second = args.get(1);
            if (KerasGraph.isKerasTensor(second)) {
                constant = null;
            } else if (second.isNumber()) {
                constant = second.asDouble();
            } else {
                throw c.error("compares with " + second + "; Hopper compares with a number or a tensor, so use one");
            }
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (inputs.size() != (constant == null ? 2 : 1)) {
                throw error("receives " + inputs.size() + " tensors; compare one tensor with a number or two tensors");
            }
            return List.of(inputs.get(0));
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            NDArray x = inputs.get(0);
            NDArray ne = constant == null ? x.neq(inputs.get(1)) : x.neq(constant.floatValue());
            return new NDList(ne.toType(DataType.FLOAT32, false));
        }
    }
}
