package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/** Keras's activation layers beyond ReLU, LeakyReLU and Softmax: PReLU (a learned slope), ELU and ThresholdedReLU. */
final class ActivationLayers {
    private ActivationLayers() {
    }

    /** PReLU: {@code max(0, x) - alpha * max(0, -x)} with a learned alpha, shared along shared_axes (Keras counts the batch as 0). */
    static final class PRelu extends Layer.Single {
        private final KerasInitializer alphaInit;
        private final int[] sharedAxes;

        PRelu(LayerConfig c) {
            super(c);
            alphaInit = c.initializer("alpha_initializer", KerasInitializer.ZEROS);
            com.fasterxml.jackson.databind.JsonNode shared = c.node("shared_axes");
            if (shared == null || shared.isNull()) {
                sharedAxes = new int[0];
            } else {
                var axes = shared.isArray() ? shared : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(shared);
                sharedAxes = new int[axes.size()];
                for (int i = 0; i < sharedAxes.length; i++) {
                    if (!axes.get(i).isIntegralNumber() || axes.get(i).asInt() < 1) {
                        throw c.error("'shared_axes' is " + shared + "; give non-batch axes (1 and up) as an integer or a list");
                    }
                    sharedAxes[i] = axes.get(i).asInt();
                }
            }
        }

        @Override
        Shape outputShape(Shape in) {
            for (int a : sharedAxes) {
                if (a > in.dimension()) {
                    throw error("shared axis " + a + " does not exist in " + Shapes.keras(in) + "; use axes 1 to " + in.dimension());
                }
            }
            return in;
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            long[] alpha = in.getShape().clone();
            for (int a : sharedAxes) {
                alpha[a - 1] = 1;
            }
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = known(alpha[i], "dimension " + (i + 1) + " of the input");
            }
            return List.of(new WeightSpec("alpha", new Shape(alpha), true, alphaInit));
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return ai.djl.nn.Activation.relu(x).sub(w.get(0).mul(ai.djl.nn.Activation.relu(x.neg())));
        }
    }

    /** ELU ({@code x} above 0, {@code alpha * (exp(x) - 1)} below) and ThresholdedReLU ({@code x} where {@code x > theta}, else 0). */
    static final class Pointwise extends Layer.Elementwise {
        /** Which of the two. */
        enum Kind { ELU, THRESHOLDED_RELU }

        private final Kind kind;
        /** ELU's alpha or ThresholdedReLU's theta. */
        private final double parameter;

        Pointwise(LayerConfig c, Kind kind) {
            super(c);
            this.kind = kind;
            parameter = c.doubleOr(kind == Kind.ELU ? "alpha" : "theta", 1.0);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return switch (kind) {
                case ELU -> NDArrays.where(x.gt(0f), x, x.exp().sub(1f).mul((float) parameter));
                case THRESHOLDED_RELU -> x.mul(x.gt((float) parameter).toType(x.getDataType(), false));
            };
        }
    }
}
