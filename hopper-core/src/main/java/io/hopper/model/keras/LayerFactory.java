package io.hopper.model.keras;

import java.util.List;

/**
 * Turns serialized Keras layers into {@link Layer}s, refusing Lambda layers and classes Hopper does not implement.
 * Holds the one default that differs between standalone Keras 2 and tf.keras (GRU's reset_after).
 */
final class LayerFactory {
    /** The layer classes Hopper builds, as Keras names them. */
    static final List<String> SUPPORTED = List.of("InputLayer", "Dense", "Conv1D", "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
            "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
            "GlobalAveragePooling1D", "GlobalAveragePooling2D", "MaxPooling3D", "AveragePooling3D", "GlobalMaxPooling3D", "GlobalAveragePooling3D", "Flatten", "Reshape", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
            "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax", "BatchNormalization", "Embedding", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU", "SimpleRNN", "Bidirectional",
            "TimeDistributed", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "ZeroPadding1D", "Cropping1D", "UpSampling1D",
            "ZeroPadding2D", "Cropping2D", "UpSampling2D", "Rescaling", "Normalization", "LayerNormalization", "Permute", "RepeatVector", "Masking", "Sequential", "Model", "Functional", "NotEqual", "TFOpLambda", "Attention", "MultiHeadAttention", "GaussianNoise", "GaussianDropout", "RandomFlip", "RandomContrast", "RandomRotation",
            "RandomZoom", "RandomTranslation");

    private final boolean tfKeras;
    private final boolean keras3;

    /** @param tfKeras true for tf.keras documents (keras_version "x-tf" or 2.4 and later), whose GRU defaults to reset_after */
    LayerFactory(boolean tfKeras) {
        this(tfKeras, false);
    }

    /**
     * @param tfKeras true for tf.keras and Keras 3 documents, whose GRU defaults to reset_after
     * @param keras3 true for Keras 3 documents (hard_sigmoid is relu6(x + 3) / 6)
     */
    LayerFactory(boolean tfKeras, boolean keras3) {
        this.tfKeras = tfKeras || keras3;
        this.keras3 = keras3;
    }

    Layer create(LayerConfig c) {
        return create(c, null);
    }

    /**
     * Builds a layer; {@code firstCall} is its first serialized inbound node (or null), which Keras 3's op layers such as
     * NotEqual need for their constant arguments.
     */
    Layer create(LayerConfig c, com.fasterxml.jackson.databind.JsonNode firstCall) {
        c.keras3(keras3);
        if (c.isOp()) {
            OpLayers.Op op = OpLayers.op(c.className());
            if (c.className().equals("Cast")) {
                return new OpLayers.Cast(c);
            }
            if (op == null) {
                throw c.error("is the Keras 3 operation '" + c.className() + "', which Hopper does not run; use Add, Subtract, Multiply, "
                        + "Divide, TrueDivide, Maximum, Minimum, NotEqual or Cast, or built-in layers");
            }
            return new OpLayers.Binary(c, op, firstCall);
        }
        return switch (c.className()) {
            case "InputLayer" -> new CoreLayers.Input(c);
            case "Dense" -> new CoreLayers.Dense(c);
            case "Conv1D" -> new ConvLayers.Conv(c, 1, ConvLayers.Kind.REGULAR);
            case "Conv2D" -> new ConvLayers.Conv(c, 2, ConvLayers.Kind.REGULAR);
            case "DepthwiseConv2D" -> new ConvLayers.Conv(c, 2, ConvLayers.Kind.DEPTHWISE);
            case "SeparableConv2D" -> new ConvLayers.Conv(c, 2, ConvLayers.Kind.SEPARABLE);
            case "Conv3D" -> new ConvLayers.Conv(c, 3, ConvLayers.Kind.REGULAR);
            case "Conv1DTranspose" -> new ConvLayers.Conv(c, 1, ConvLayers.Kind.TRANSPOSE);
            case "Conv2DTranspose" -> new ConvLayers.Conv(c, 2, ConvLayers.Kind.TRANSPOSE);
            case "MaxPooling3D" -> new PoolingLayers.Pooling(c, 3, true);
            case "AveragePooling3D" -> new PoolingLayers.Pooling(c, 3, false);
            case "GlobalMaxPooling3D" -> new PoolingLayers.Global(c, 3, true);
            case "GlobalAveragePooling3D" -> new PoolingLayers.Global(c, 3, false);
            case "MaxPooling1D" -> new PoolingLayers.Pooling(c, 1, true);
            case "MaxPooling2D" -> new PoolingLayers.Pooling(c, 2, true);
            case "AveragePooling1D" -> new PoolingLayers.Pooling(c, 1, false);
            case "AveragePooling2D" -> new PoolingLayers.Pooling(c, 2, false);
            case "GlobalMaxPooling1D" -> new PoolingLayers.Global(c, 1, true);
            case "GlobalMaxPooling2D" -> new PoolingLayers.Global(c, 2, true);
            case "GlobalAveragePooling1D" -> new PoolingLayers.Global(c, 1, false);
            case "GlobalAveragePooling2D" -> new PoolingLayers.Global(c, 2, false);
            case "Flatten" -> new CoreLayers.Flatten(c);
            case "Reshape" -> new CoreLayers.Reshape(c);
            case "Dropout", "SpatialDropout1D", "SpatialDropout2D" -> new CoreLayers.Dropout(c, c.className());
            case "Activation" -> new CoreLayers.Act(c);
            case "ReLU" -> new CoreLayers.Relu(c, false);
            case "PReLU" -> new ActivationLayers.PRelu(c);
            case "ELU" -> new ActivationLayers.Pointwise(c, ActivationLayers.Pointwise.Kind.ELU);
            case "ThresholdedReLU" -> new ActivationLayers.Pointwise(c, ActivationLayers.Pointwise.Kind.THRESHOLDED_RELU);
            case "LeakyReLU" -> new CoreLayers.Relu(c, true);
            case "Softmax" -> new CoreLayers.Softmax(c);
            case "BatchNormalization" -> new NormalizationLayers.BatchNorm(c);
            case "Normalization" -> new NormalizationLayers.Normalization(c);
            case "LayerNormalization" -> new NormalizationLayers.LayerNorm(c);
            case "Permute" -> new CoreLayers.Permute(c);
            case "RepeatVector" -> new CoreLayers.RepeatVector(c);
            case "Masking" -> new CoreLayers.Masking(c);
            case "Rescaling" -> new CoreLayers.Rescaling(c);
            case "Add" -> new MergeLayers.Elementwise(c, MergeLayers.Op.ADD);
            case "Subtract" -> new MergeLayers.Elementwise(c, MergeLayers.Op.SUBTRACT);
            case "Multiply" -> new MergeLayers.Elementwise(c, MergeLayers.Op.MULTIPLY);
            case "Average" -> new MergeLayers.Elementwise(c, MergeLayers.Op.AVERAGE);
            case "Maximum" -> new MergeLayers.Elementwise(c, MergeLayers.Op.MAXIMUM);
            case "Minimum" -> new MergeLayers.Elementwise(c, MergeLayers.Op.MINIMUM);
            case "Concatenate" -> new MergeLayers.Concatenate(c);
            case "Dot" -> new MergeLayers.Dot(c);
            case "ZeroPadding2D" -> new SpatialLayers.ZeroPadding(c);
            case "Cropping2D" -> new SpatialLayers.Cropping(c);
            case "UpSampling2D" -> new SpatialLayers.UpSampling(c);
            case "ZeroPadding1D" -> new SpatialLayers.Steps(c, SpatialLayers.Steps.Kind.PAD);
            case "Cropping1D" -> new SpatialLayers.Steps(c, SpatialLayers.Steps.Kind.CROP);
            case "UpSampling1D" -> new SpatialLayers.Steps(c, SpatialLayers.Steps.Kind.REPEAT);
            case "Embedding" -> new RecurrentLayers.Embedding(c);
            case "SimpleRNN" -> new RecurrentLayers.Rnn(c, RecurrentLayers.Cell.SIMPLE, tfKeras);
            case "LSTM" -> new RecurrentLayers.Rnn(c, RecurrentLayers.Cell.LSTM, tfKeras);
            case "GRU" -> new RecurrentLayers.Rnn(c, RecurrentLayers.Cell.GRU, tfKeras);
            case "CuDNNLSTM" -> new RecurrentLayers.Rnn(c, RecurrentLayers.Cell.LSTM, tfKeras, true);
            case "CuDNNGRU" -> new RecurrentLayers.Rnn(c, RecurrentLayers.Cell.GRU, tfKeras, true);
            case "Bidirectional" -> new WrapperLayers.Bidirectional(c, this);
            case "TimeDistributed" -> new WrapperLayers.TimeDistributed(c, this);
            case "Sequential" -> new ModelLayer(c, KerasGraph.sequential(c.config(), c.name(), this));
            case "Model", "Functional" -> new ModelLayer(c, KerasGraph.functional(c.config(), c.name(), this));
            case "NotEqual" -> new OpLayers.Binary(c, OpLayers.Op.NOT_EQUAL, firstCall);
            case "GaussianNoise" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.GAUSSIAN_NOISE);
            case "GaussianDropout" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.GAUSSIAN_DROPOUT);
            case "RandomFlip" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.FLIP);
            case "RandomContrast" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.CONTRAST);
            case "RandomRotation" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.ROTATION);
            case "RandomZoom" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.ZOOM);
            case "RandomTranslation" -> new NoiseLayers.Noise(c, NoiseLayers.Kind.TRANSLATION);
            case "Attention" -> new AttentionLayers.Attention(c, firstCall);
            case "MultiHeadAttention" -> new AttentionLayers.MultiHead(c, firstCall);
            case "TFOpLambda" -> {
                String function = c.stringOr("function", "");
                OpLayers.Op op = OpLayers.tfOp(function);
                if (op == null) {
                    throw c.error("calls the TensorFlow function '" + function + "', which Hopper does not run; use add, subtract, multiply, "
                            + "truediv, maximum, minimum or not_equal, or built-in layers");
                }
                yield new OpLayers.Binary(c, op, firstCall);
            }
            case "Lambda" -> throw c.error("is a Lambda layer, which holds Python code Hopper cannot run; rewrite it with built-in layers");
            case "Merge" -> throw c.error("is Keras 1's Merge layer (mode '" + c.stringOr("mode", "sum") + "'), which Keras 2 kept only to read old"
                    + " models; rebuild the model with Concatenate, Add, Multiply, Average, Maximum or Dot and re-save it");
            default -> throw c.error("class '" + c.className() + "' is not supported; use one of " + String.join(", ", SUPPORTED));
        };
    }
}
