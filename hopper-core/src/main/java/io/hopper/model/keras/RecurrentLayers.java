package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

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

    /**
     * Keras's Embedding: integer indices (given as floats) to rows of embeddings [input_dim, output_dim]; with mask_zero
     * index 0 masks its time step for the layers after it.
     */
    static final class Embedding extends Layer.Single {
        private final int inputDim;
        private final int outputDim;
        private final KerasInitializer init;
        private final boolean maskZero;

        Embedding(LayerConfig c) {
            super(c);
            inputDim = c.requiredPositiveInt("input_dim");
            outputDim = c.requiredPositiveInt("output_dim");
            init = c.initializer("embeddings_initializer", new KerasInitializer.RandomUniform(-0.05, 0.05));
            maskZero = c.boolOr("mask_zero", false);
            if (c.has("lora_rank")) {
                throw c.error("'lora_rank' is set, but Hopper trains no LoRA adapters; set it to null");
            }
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

        @Override
        List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
            if (!maskZero) {
                return null;
            }
            NDArray m = Masks.of(inputs.singletonOrThrow().neq(0f));
            return List.of(m.getShape().dimension() == 2 ? m : m.reshape(m.getShape().get(0), -1));
        }

        /** A Gather of the embeddings; refused with mask_zero, since ONNX's operators carry no masks for the layers after it. */
        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            if (maskZero) {
                throw error("mask_zero=true has no ONNX mapping (ONNX operators carry no masks); export this model with --format keras");
            }
            String idx = g.op("Cast", name() + "/indices", List.of(x), OnnxAttribute.of("to", 7L)); // INT64, truncating as DJL does
            return g.op("Gather", name(), List.of(w.get(0).constant(g), idx), OnnxAttribute.of("axis", 0L));
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

    /**
     * A Keras recurrent layer over inputs [time, features]. In training, dropout and recurrent_dropout multiply the
     * inputs and the previous output by masks drawn once per call from the step's seed (Keras 3's cells: one mask for
     * every gate and time step, kept entries scaled by 1/(1-rate)). A time step the input mask hides keeps the previous
     * state and output, as Keras does.
     */
    static final class Rnn extends Layer.Single {
        private final Cell cell;
        private final int units;
        private final KerasActivation activation;
        private final KerasActivation recurrentActivation;
        private final boolean useBias;
        private final boolean returnSequences;
        private final boolean goBackwards;
        private final boolean resetAfter;
        private final boolean cudnn;
        private final KerasInitializer kernelInit;
        private final KerasInitializer recurrentInit;
        private final KerasInitializer biasInit;
        private final double dropout;
        private final double recurrentDropout;

        Rnn(LayerConfig c, Cell cell, boolean tfKeras) {
            this(c, cell, tfKeras, false);
        }

        /**
         * With {@code cudnn}, Keras 2's CuDNNLSTM or CuDNNGRU: tanh and sigmoid, always a bias, an input and a recurrent
         * bias in one flat weight (8 or 6 blocks of units), and the GRU's reset gate applied after the recurrent product.
         */
        Rnn(LayerConfig c, Cell cell, boolean tfKeras, boolean cudnn) {
            super(c);
            this.cell = cell;
            this.cudnn = cudnn;
            units = c.requiredPositiveInt("units");
            activation = c.activation("activation", "tanh");
            recurrentActivation = c.activation("recurrent_activation", tfKeras || cudnn ? "sigmoid" : "hard_sigmoid");
            useBias = cudnn || c.boolOr("use_bias", true);
            returnSequences = c.boolOr("return_sequences", false);
            goBackwards = c.boolOr("go_backwards", false);
            resetAfter = cell == Cell.GRU && (cudnn || c.boolOr("reset_after", tfKeras));
            kernelInit = c.initializer("kernel_initializer", KerasInitializer.GLOROT_UNIFORM);
            recurrentInit = c.initializer("recurrent_initializer", KerasInitializer.ORTHOGONAL);
            KerasInitializer bias = c.initializer("bias_initializer", KerasInitializer.ZEROS);
            biasInit = cell == Cell.LSTM && c.boolOr("unit_forget_bias", true)
                    ? new KerasInitializer.UnitForgetBias(bias, units, cudnn ? 5 : 1) : bias;
            c.requireAbsentOr("return_state", false, "returning states");
            c.requireAbsentOr("stateful", false, "stateful RNNs");
            c.requireAbsentOr("time_major", false, "time-major inputs");
            dropout = c.doubleOr("dropout", 0);
            recurrentDropout = c.doubleOr("recurrent_dropout", 0);
            if (!(dropout >= 0 && dropout < 1) || !(recurrentDropout >= 0 && recurrentDropout < 1)) {
                throw c.error("dropout " + dropout + " / recurrent_dropout " + recurrentDropout + " is not in [0, 1); set rates in [0, 1)");
            }
        }

        boolean returnSequences() {
            return returnSequences;
        }

        @Override
        List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
            return returnSequences && ctx.mask() != null ? List.of(goBackwards ? ctx.mask().flip(1) : ctx.mask()) : null;
        }

        /** A dropout mask [batch, width] with entries 0 (probability rate) or 1/(1-rate). */
        private static NDArray dropMask(NDArray like, long batch, long width, double rate, java.util.SplittableRandom rng) {
            float[] m = new float[Math.toIntExact(batch * width)];
            float keep = (float) (1 / (1 - rate));
            for (int i = 0; i < m.length; i++) {
                m[i] = rng.nextDouble() < rate ? 0f : keep;
            }
            return like.getManager().create(m, new Shape(batch, width));
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
                w.add(new WeightSpec("bias", cudnn ? new Shape(2 * g) : resetAfter ? new Shape(2, g) : new Shape(g), true, biasInit));
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
            if (cudnn) {
                long g = (long) cell.gates * units;
                inputBias = w.get(2).get(new NDIndex("0:{}", g));
                recurrentBias = w.get(2).get(new NDIndex("{}:", g));
                if (cell == Cell.LSTM) {
                    // The LSTM adds both biases to the same gate inputs.
                    inputBias = inputBias.add(recurrentBias);
                    recurrentBias = null;
                }
            } else if (useBias) {
                inputBias = resetAfter ? w.get(2).get(0) : w.get(2);
                recurrentBias = resetAfter ? w.get(2).get(1) : null;
            }
            java.util.SplittableRandom rng = ctx.training() && (dropout > 0 || recurrentDropout > 0) ? ctx.random() : null;
            if (rng != null && dropout > 0) {
                x = x.mul(dropMask(x, batch, x.getShape().get(2), dropout, rng).expandDims(1));
            }
            NDArray recMask = rng != null && recurrentDropout > 0 ? dropMask(x, batch, units, recurrentDropout, rng) : null;
            NDArray stepMask = ctx.mask();
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
                NDArray hr = recMask == null ? h : h.mul(recMask);
                NDArray hNew;
                NDArray cNew = c;
                switch (cell) {
                    case SIMPLE -> hNew = activation.apply(xt.add(hr.matMul(recurrent)));
                    case LSTM -> {
                        NDList z = xt.add(hr.matMul(recurrent)).split(4, 1);
                        NDArray in = recurrentActivation.apply(z.get(0));
                        NDArray forget = recurrentActivation.apply(z.get(1));
                        cNew = forget.mul(c).add(in.mul(activation.apply(z.get(2))));
                        hNew = recurrentActivation.apply(z.get(3)).mul(activation.apply(cNew));
                    }
                    default -> hNew = gruStep(xt, h, hr, recurrent, recurrentBias);
                }
                if (stepMask != null) {
                    NDArray keep = stepMask.get(new NDIndex(":, {}", t)).expandDims(1);
                    hNew = hNew.mul(keep).add(h.mul(keep.neg().add(1f)));
                    if (cell == Cell.LSTM) {
                        cNew = cNew.mul(keep).add(c.mul(keep.neg().add(1f)));
                    }
                }
                h = hNew;
                c = cNew;
                if (returnSequences) {
                    outputs.add(h);
                }
            }
            return returnSequences ? NDArrays.stack(outputs, 1) : h;
        }

        /** Keras's gate blocks in ONNX's order: LSTM i, f, c, o becomes i, o, f, c; GRU's z, r, h stay. */
        private int[] onnxGates() {
            return switch (cell) {
                case SIMPLE -> new int[] {0};
                case LSTM -> new int[] {0, 3, 1, 2};
                case GRU -> new int[] {0, 1, 2};
            };
        }

        /** A Keras matrix [rows, gates*units] as ONNX's [1, gates*units, rows] with the gate blocks reordered. */
        private float[] gatesTransposed(float[] m, int rows) {
            int[] order = onnxGates();
            int cols = order.length * units;
            float[] out = new float[m.length];
            for (int k = 0; k < order.length; k++) {
                for (int j = 0; j < units; j++) {
                    int src = order[k] * units + j;
                    int dst = k * units + j;
                    for (int r = 0; r < rows; r++) {
                        out[dst * rows + r] = m[r * cols + src];
                    }
                }
            }
            return out;
        }

        /**
         * ONNX's RNN, LSTM or GRU operator over [batch, time, features] (transposed to its time-major layout), with
         * Keras's activations; go_backwards runs the operator in reverse and, for sequences, returns them in Keras's
         * processing order.
         */
        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            int features = Math.toIntExact(in.get(1));
            int gu = cell.gates * units;
            List<KerasActivation> acts = switch (cell) {
                case SIMPLE -> List.of(activation);
                case LSTM -> List.of(recurrentActivation, activation, activation);
                case GRU -> List.of(recurrentActivation, activation);
            };
            List<String> names = new java.util.ArrayList<>();
            List<Float> alphas = new java.util.ArrayList<>();
            List<Float> betas = new java.util.ArrayList<>();
            for (KerasActivation a : acts) {
                KerasActivation.OnnxRecurrent r = a.onnxRecurrent();
                if (r == null) {
                    throw error("activation '" + a.name().toLowerCase(java.util.Locale.ROOT) + "' has no ONNX recurrent mapping; "
                            + "export this model with --format keras, or use tanh, sigmoid, hard_sigmoid, relu, elu, softsign, softplus or linear");
                }
                names.add(r.op());
                if (!Float.isNaN(r.alpha())) {
                    alphas.add(r.alpha());
                }
                if (!Float.isNaN(r.beta())) {
                    betas.add(r.beta());
                }
            }
            String kernel = g.constant(w.get(0).name(), new long[] {1, gu, features}, gatesTransposed(w.get(0).values(), features));
            String recurrent = g.constant(w.get(1).name(), new long[] {1, gu, units}, gatesTransposed(w.get(1).values(), units));
            float[] bias = new float[2 * gu];
            if (useBias) {
                float[] b = w.get(2).values();
                int[] order = onnxGates();
                for (int half = 0; half < (resetAfter || cudnn ? 2 : 1); half++) {
                    for (int k = 0; k < order.length; k++) {
                        System.arraycopy(b, half * gu + order[k] * units, bias, half * gu + k * units, units);
                    }
                }
            }
            String biasName = g.constant(name() + "/bias", new long[] {1, 2L * gu}, bias);
            String timeMajor = OnnxOps.transpose(g, x, name() + "/time_major", 1, 0, 2);
            String y = g.fresh(name() + "/Y");
            String yh = g.fresh(name() + "/Y_h");
            List<OnnxAttribute> attrs = new java.util.ArrayList<>(List.of(OnnxAttribute.of("hidden_size", (long) units),
                    OnnxAttribute.of("direction", goBackwards ? "reverse" : "forward"),
                    OnnxAttribute.strings("activations", names.toArray(String[]::new))));
            if (!alphas.isEmpty()) {
                float[] a = new float[alphas.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = alphas.get(i);
                }
                attrs.add(OnnxAttribute.floats("activation_alpha", a));
            }
            if (!betas.isEmpty()) {
                float[] b = new float[betas.size()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = betas.get(i);
                }
                attrs.add(OnnxAttribute.floats("activation_beta", b));
            }
            if (cell == Cell.GRU) {
                attrs.add(OnnxAttribute.of("linear_before_reset", resetAfter ? 1L : 0L));
            }
            String op = switch (cell) {
                case SIMPLE -> "RNN";
                case LSTM -> "LSTM";
                case GRU -> "GRU";
            };
            g.node(op, List.of(timeMajor, kernel, recurrent, biasName), List.of(y, yh), attrs.toArray(OnnxAttribute[]::new));
            if (!returnSequences) {
                return g.op("Squeeze", name(), List.of(yh, g.longs(name() + "/direction_axis", 0)));
            }
            String seq = g.op("Squeeze", name() + "/sequence", List.of(y, g.longs(name() + "/direction_axis", 1)));
            String batchMajor = OnnxOps.transpose(g, seq, name() + "/batch_major", 1, 0, 2);
            return goBackwards ? OnnxOps.reverse(g, batchMajor, name() + "/processing_order", 1) : batchMajor;
        }

        /** One GRU step; {@code hr} is the previous output after recurrent dropout (the matrix products use it). */
        private NDArray gruStep(NDArray xt, NDArray h, NDArray hr0, NDArray recurrent, NDArray recurrentBias) {
            NDList xs = xt.split(3, 1);
            NDArray z;
            NDArray r;
            NDArray candidate;
            if (resetAfter) {
                NDArray hr = hr0.matMul(recurrent);
                if (recurrentBias != null) {
                    hr = hr.add(recurrentBias);
                }
                NDList hs = hr.split(3, 1);
                z = recurrentActivation.apply(xs.get(0).add(hs.get(0)));
                r = recurrentActivation.apply(xs.get(1).add(hs.get(1)));
                candidate = activation.apply(xs.get(2).add(r.mul(hs.get(2))));
            } else {
                NDList rk = recurrent.split(new long[] {2L * units}, 1);
                NDList hs = hr0.matMul(rk.get(0)).split(2, 1);
                z = recurrentActivation.apply(xs.get(0).add(hs.get(0)));
                r = recurrentActivation.apply(xs.get(1).add(hs.get(1)));
                candidate = activation.apply(xs.get(2).add(r.mul(hr0).matMul(rk.get(1))));
            }
            return z.mul(h).add(z.neg().add(1f).mul(candidate));
        }
    }
}
