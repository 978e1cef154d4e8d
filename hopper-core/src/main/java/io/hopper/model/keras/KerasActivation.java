package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Keras's built-in activation functions, applied with Keras's formulas (softmax over the last axis). hard_sigmoid is
 * Keras 2's 0.2 x + 0.5 clipped to [0, 1] in Keras 2 documents and Keras 3's relu6(x + 3) / 6 in Keras 3 ones.
 */
enum KerasActivation {
    LINEAR, RELU, SIGMOID, TANH, SOFTMAX, ELU, SELU, SOFTPLUS, SOFTSIGN, HARD_SIGMOID, EXPONENTIAL, SWISH, GELU,
    RELU6, LEAKY_RELU, HARD_SILU, MISH, LOG_SOFTMAX, HARD_SIGMOID3;

    static KerasActivation of(String name, LayerConfig layer) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "silu" -> {
                return SWISH;
            }
            case "hard_swish" -> {
                return HARD_SILU;
            }
            case "hard_sigmoid" -> {
                return layer.keras3() ? HARD_SIGMOID3 : HARD_SIGMOID;
            }
            case "hard_sigmoid3" -> throw layer.error("activation '" + name + "' is not supported; use hard_sigmoid");
            default -> {
            }
        }
        for (KerasActivation a : values()) {
            if (a.name().toLowerCase(Locale.ROOT).equals(n)) {
                return a;
            }
        }
        throw layer.error("activation '" + name + "' is not supported; use one of "
                + Arrays.stream(values()).filter(a -> a != HARD_SIGMOID3).map(a -> a.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")) + ", silu, hard_swish");
    }

    NDArray apply(NDArray x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> Activation.relu(x);
            case SIGMOID -> Activation.sigmoid(x);
            case TANH -> x.tanh();
            case SOFTMAX -> x.softmax(-1);
            case ELU -> Activation.elu(x, 1f);
            case SELU -> Activation.selu(x);
            case SOFTPLUS -> Activation.softPlus(x);
            case SOFTSIGN -> Activation.softSign(x);
            case HARD_SIGMOID -> x.mul(0.2f).add(0.5f).clip(0f, 1f);
            case EXPONENTIAL -> x.exp();
            case SWISH -> x.mul(Activation.sigmoid(x));
            case GELU -> x.mul(x.mul((float) (1 / Math.sqrt(2))).erf().add(1f)).mul(0.5f);
            case RELU6 -> x.clip(0f, 6f);
            case LEAKY_RELU -> ai.djl.ndarray.NDArrays.where(x.gte(0f), x, x.mul(0.2f));
            case HARD_SIGMOID3 -> x.add(3f).clip(0f, 6f).div(6f);
            case HARD_SILU -> x.mul(x.add(3f).clip(0f, 6f).div(6f));
            case MISH -> x.mul(Activation.softPlus(x).tanh());
            case LOG_SOFTMAX -> x.logSoftmax(-1);
        };
    }

    /** The same function as ONNX nodes on tensor x; returns the result's name. */
    String onnx(OnnxGraph g, String x, String base) {
        String b = base + "/" + name().toLowerCase(Locale.ROOT);
        return switch (this) {
            case LINEAR -> x;
            case RELU -> g.op("Relu", b, List.of(x));
            case SIGMOID -> g.op("Sigmoid", b, List.of(x));
            case TANH -> g.op("Tanh", b, List.of(x));
            case SOFTMAX -> g.op("Softmax", b, List.of(x), OnnxAttribute.of("axis", -1L));
            case ELU -> g.op("Elu", b, List.of(x), OnnxAttribute.of("alpha", 1f));
            case SELU -> g.op("Selu", b, List.of(x));
            case SOFTPLUS -> g.op("Softplus", b, List.of(x));
            case SOFTSIGN -> g.op("Softsign", b, List.of(x));
            case HARD_SIGMOID -> g.op("HardSigmoid", b, List.of(x), OnnxAttribute.of("alpha", 0.2f), OnnxAttribute.of("beta", 0.5f));
            case EXPONENTIAL -> g.op("Exp", b, List.of(x));
            case SWISH -> g.op("Mul", b, List.of(x, g.op("Sigmoid", b + "/sigmoid", List.of(x))));
            case GELU -> {
                String erf = g.op("Erf", b + "/erf", List.of(g.op("Mul", b + "/scaled", List.of(x, g.scalar(b + "/rsqrt2", (float) (1 / Math.sqrt(2)))))));
                String onePlus = g.op("Add", b + "/one_plus", List.of(erf, g.scalar(b + "/one", 1f)));
                yield g.op("Mul", b, List.of(g.op("Mul", b + "/x", List.of(x, onePlus)), g.scalar(b + "/half", 0.5f)));
            }
            case RELU6 -> g.op("Clip", b, List.of(x, g.scalar(b + "/min", 0f), g.scalar(b + "/max", 6f)));
            case LEAKY_RELU -> g.op("LeakyRelu", b, List.of(x), OnnxAttribute.of("alpha", 0.2f));
            case HARD_SIGMOID3 -> g.op("HardSigmoid", b, List.of(x), OnnxAttribute.of("alpha", 1f / 6), OnnxAttribute.of("beta", 0.5f));
            case HARD_SILU -> g.op("Mul", b, List.of(x, g.op("HardSigmoid", b + "/gate", List.of(x),
                    OnnxAttribute.of("alpha", 1f / 6), OnnxAttribute.of("beta", 0.5f))));
            case MISH -> g.op("Mul", b, List.of(x, g.op("Tanh", b + "/tanh", List.of(g.op("Softplus", b + "/softplus", List.of(x))))));
            case LOG_SOFTMAX -> g.op("LogSoftmax", b, List.of(x), OnnxAttribute.of("axis", -1L));
        };
    }

    /** An activation as ONNX's recurrent operators name it, with its alpha and beta (NaN when unused). */
    record OnnxRecurrent(String op, float alpha, float beta) {
    }

    /**
     * The name of this function among the activations ONNX's recurrent operators take (with its alpha and beta,
     * NaN when unused), or null when they have none for it.
     */
    OnnxRecurrent onnxRecurrent() {
        return switch (this) {
            case LINEAR -> new OnnxRecurrent("Affine", 1f, 0f);
            case RELU -> new OnnxRecurrent("Relu", Float.NaN, Float.NaN);
            case SIGMOID -> new OnnxRecurrent("Sigmoid", Float.NaN, Float.NaN);
            case TANH -> new OnnxRecurrent("Tanh", Float.NaN, Float.NaN);
            case HARD_SIGMOID -> new OnnxRecurrent("HardSigmoid", 0.2f, 0.5f);
            case HARD_SIGMOID3 -> new OnnxRecurrent("HardSigmoid", 1f / 6, 0.5f);
            case ELU -> new OnnxRecurrent("Elu", 1f, Float.NaN);
            case SOFTSIGN -> new OnnxRecurrent("Softsign", Float.NaN, Float.NaN);
            case SOFTPLUS -> new OnnxRecurrent("Softplus", Float.NaN, Float.NaN);
            default -> null;
        };
    }
}
