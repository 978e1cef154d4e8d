package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras's Embedding and recurrent layers (SimpleRNN, LSTM, GRU with either reset_after), unrolled over time with
 * Keras's gate order (LSTM i, f, c, o; GRU z, r, h) and weight layout (kernel [in, gates*units], recurrent_kernel
 * [units, gates*units], bias [gates*units] or GRU's reset_after bias [2, 3*units]).
 */
final class RecurrentLayers {
    private RecurrentLayers() {
    }

    /** Keras's Embedding: integer indices (given as floats) to rows of embeddings [input_dim, output_dim]. */
    static final class Embedding extends Layer.Single {
        private final int inputDim;
        private final int outputDim;
        private final KerasInitializer init;

        Embedding(LayerConfig c) {
            super(c);
            inputDim = c.requiredPositiveInt("input_dim");
            outputDim = c.requiredPositiveInt("output_dim");
            init = c.initializer("embeddings_initializer", new KerasInitializer.RandomUniform(-0.05, 0.05));
            c.requireAbsentOr("mask_zero", false, "masking");
        }

        @Override
        Shape outputShape(Shape in) {
            return in.add(outputDim);
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            return List.of(new WeightSpec("embeddings", new Shape(inputDim, outputDim), true, init));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            NDArray idx = x.toType(DataType.INT64, false);
            return ai.djl.nn.core.Embedding.embedding(idx, w.get(0), SparseFormat.DENSE).singletonOrThrow();
        }
    }

    /** Which recurrent cell. */
    enum Cell {
        SIMPLE(1), LSTM(4), GRU(3);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    /** A Keras recurrent layer over inputs [time, features]. */
    static final class Rnn extends Layer.Single {
        private final Cell cell;
        private final int units;
        private final KerasActivation activation;
        private final KerasActivation recurrentActivation;
        private final boolean useBias;
        private final boolean returnSequences;
        private final boolean goBackwards;
        private final boolean resetAfter;
        private final KerasInitializer kernelInit;
        private final KerasInitializer recurrentInit;
        private final KerasInitializer biasInit;

        Rnn(LayerConfig c, Cell cell, boolean tfKeras) {
            super(c);
            this.cell = cell;
            units = c.requiredPositiveInt("units");
            activation = c.activation("activation", "tanh");
            recurrentActivation = c.activation("recurrent_activation", tfKeras ? "sigmoid" : "hard_sigmoid");
            useBias = c.boolOr("use_bias", true);
            returnSequences = c.boolOr("return_sequences", false);
            goBackwards = c.boolOr("go_backwards", false);
            resetAfter = cell == Cell.GRU && c.boolOr("reset_after", tfKeras);
            kernelInit = c.initializer("kernel_initializer", KerasInitializer.GLOROT_UNIFORM);
            recurrentInit = c.initializer("recurrent_initializer", KerasInitializer.ORTHOGONAL);
            KerasInitializer bias = c.initializer("bias_initializer", KerasInitializer.ZEROS);
            biasInit = cell == Cell.LSTM && c.boolOr("unit_forget_bias", true) ? new KerasInitializer.UnitForgetBias(bias, units) : bias;
            c.requireAbsentOr("return_state", false, "returning states");
            c.requireAbsentOr("stateful", false, "stateful RNNs");
            c.requireAbsentOr("time_major", false, "time-major inputs");
            c.requireAbsentOr("dropout", 0, "input dropout inside the RNN");
            c.requireAbsentOr("recurrent_dropout", 0, "recurrent dropout");
        }

        boolean returnSequences() {
            return returnSequences;
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, 2);
            known(in.get(1), "the input's feature dimension");
            return returnSequences ? new Shape(in.get(0), units) : new Shape(units);
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            long g = (long) cell.gates * units;
            List<WeightSpec> w = new ArrayList<>();
            w.add(new WeightSpec("kernel", new Shape(in.get(1), g), true, kernelInit));
            w.add(new WeightSpec("recurrent_kernel", new Shape(units, g), true, recurrentInit));
            if (useBias) {
                w.add(new WeightSpec("bias", resetAfter ? new Shape(2, g) : new Shape(g), true, biasInit));
            }
            return w;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            long batch = x.getShape().get(0);
            long steps = x.getShape().get(1);
            NDArray kernel = w.get(0);
            NDArray recurrent = w.get(1);
            NDArray inputBias = null;
            NDArray recurrentBias = null;
            if (useBias) {
                inputBias = resetAfter ? w.get(2).get(0) : w.get(2);
                recurrentBias = resetAfter ? w.get(2).get(1) : null;
            }
            NDArray xw = x.matMul(kernel);
            if (inputBias != null) {
                xw = xw.add(inputBias);
            }
            NDArray h = x.getManager().zeros(new Shape(batch, units), x.getDataType());
            NDArray c = cell == Cell.LSTM ? h : null;
            NDList outputs = new NDList();
            for (long i = 0; i < steps; i++) {
                long t = goBackwards ? steps - 1 - i : i;
                NDArray xt = xw.get(new NDIndex(":, {}", t));
                switch (cell) {
                    case SIMPLE -> h = activation.apply(xt.add(h.matMul(recurrent)));
                    case LSTM -> {
                        NDList z = xt.add(h.matMul(recurrent)).split(4, 1);
                        NDArray in = recurrentActivation.apply(z.get(0));
                        NDArray forget = recurrentActivation.apply(z.get(1));
                        c = forget.mul(c).add(in.mul(activation.apply(z.get(2))));
                        h = recurrentActivation.apply(z.get(3)).mul(activation.apply(c));
                    }
                    case GRU -> h = gruStep(xt, h, recurrent, recurrentBias);
                }
                if (returnSequences) {
                    outputs.add(h);
                }
            }
            return returnSequences ? NDArrays.stack(outputs, 1) : h;
        }

        private NDArray gruStep(NDArray xt, NDArray h, NDArray recurrent, NDArray recurrentBias) {
            NDList xs = xt.split(3, 1);
            NDArray z;
            NDArray r;
            NDArray candidate;
            if (resetAfter) {
                NDArray hr = h.matMul(recurrent);
                if (recurrentBias != null) {
                    hr = hr.add(recurrentBias);
                }
                NDList hs = hr.split(3, 1);
                z = recurrentActivation.apply(xs.get(0).add(hs.get(0)));
                r = recurrentActivation.apply(xs.get(1).add(hs.get(1)));
                candidate = activation.apply(xs.get(2).add(r.mul(hs.get(2))));
            } else {
                NDList rk = recurrent.split(new long[] {2L * units}, 1);
                NDList hs = h.matMul(rk.get(0)).split(2, 1);
                z = recurrentActivation.apply(xs.get(0).add(hs.get(0)));
                r = recurrentActivation.apply(xs.get(1).add(hs.get(1)));
                candidate = activation.apply(xs.get(2).add(r.mul(h).matMul(rk.get(1))));
            }
            return z.mul(h).add(z.neg().add(1f).mul(candidate));
        }
    }
}
