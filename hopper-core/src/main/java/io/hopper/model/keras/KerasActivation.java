package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import java.util.Arrays;
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
}
