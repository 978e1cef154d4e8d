package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Keras's built-in activation functions, applied with Keras's formulas (softmax over the last axis). */
enum KerasActivation {
    LINEAR, RELU, SIGMOID, TANH, SOFTMAX, ELU, SELU, SOFTPLUS, SOFTSIGN, HARD_SIGMOID, EXPONENTIAL, SWISH, GELU;

    static KerasActivation of(String name, LayerConfig layer) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("silu")) {
            return SWISH;
        }
        for (KerasActivation a : values()) {
            if (a.name().toLowerCase(Locale.ROOT).equals(n)) {
                return a;
            }
        }
        throw layer.error("activation '" + name + "' is not supported; use one of "
                + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
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
        };
    }
}
