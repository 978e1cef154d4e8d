package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Keras's attention layers: Attention (dot-product or concat scores) and MultiHeadAttention (per-head query, key and
 * value projections with Keras's EinsumDense weight layout), with masks from the inputs, use_causal_mask from the
 * call, and dropout on the attention weights in training from the step's seed.
 */
final class AttentionLayers {
    /** What Keras subtracts from the scores of masked positions before the softmax. */
    private static final float LARGE = 1e9f;

    private AttentionLayers() {
    }

    /** The call's use_causal_mask (Keras 3's call argument; Keras 2's Attention had causal in its config). */
    private static boolean causal(LayerConfig c, JsonNode firstCall) {
        JsonNode kwargs = firstCall == null ? null : firstCall.path("kwargs");
        if (kwargs != null && kwargs.path("return_attention_scores").asBoolean(false)) {
            throw c.error("is called with return_attention_scores=True, which Hopper does not support; remove it");
        }
        if (kwargs != null && kwargs.hasNonNull("attention_mask")) {
            throw c.error("is called with attention_mask=..., which Hopper does not support; use masks from Embedding(mask_zero) or Masking");
        }
        return c.boolOr("causal", false) || kwargs != null && kwargs.path("use_causal_mask").asBoolean(false);
    }

    /** Softmax over the last axis after masking; keep is [batch, (1,) tq, tv] of 0/1 or null. */
    private static NDArray softmax(NDArray scores, NDArray keep) {
        return (keep == null ? scores : scores.sub(keep.neg().add(1f).mul(LARGE))).softmax(-1);
    }

    /** Dropout on attention weights in training (kept entries scaled by 1/(1-rate)). */
    private static NDArray dropout(ForwardContext ctx, NDArray weights, double rate) {
        if (!ctx.training() || rate == 0) {
            return weights;
        }
        SplittableRandom rng = ctx.random();
        float[] m = new float[Math.toIntExact(weights.getShape().size())];
        float keep = (float) (1 / (1 - rate));
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < rate ? 0f : keep;
        }
        return weights.mul(weights.getManager().create(m, weights.getShape()));
    }

    /** The [batch, tq, tv] positions a query may attend to: the value mask, the query mask and the causal triangle. */
    private static NDArray keep(NDArray like, NDArray queryMask, NDArray valueMask, boolean causal, long tq, long tv) {
        NDArray keep = null;
        if (valueMask != null) {
            keep = valueMask.expandDims(1);
        }
        if (queryMask != null) {
            NDArray q = queryMask.expandDims(2);
            keep = keep == null ? q : keep.mul(q);
        }
        if (causal) {
            float[] tri = new float[Math.toIntExact(tq * tv)];
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tv; j++) {
                    tri[(int) (i * tv + j)] = j <= i ? 1f : 0f;
                }
            }
            NDArray t = like.getManager().create(tri, new Shape(1, tq, tv));
            keep = keep == null ? t : keep.mul(t);
        }
        return keep;
    }

    private static NDArray mask(ForwardContext ctx, int input) {
        return ctx.inputMasks().size() > input ? ctx.inputMasks().get(input) : null;
    }

    /** Keras's Attention: softmax(scores(query, key)) . value, inputs [query, value] or [query, value, key]. */
    static final class Attention extends Layer {
        private final boolean useScale;
        private final boolean concat;
        private final double dropout;
        private final boolean causal;

        Attention(LayerConfig c, JsonNode firstCall) {
            super(c);
            useScale = c.boolOr("use_scale", false);
            String mode = c.stringOr("score_mode", "dot");
            if (!mode.equals("dot") && !mode.equals("concat")) {
                throw c.error("score_mode '" + mode + "' is unknown; use dot or concat");
            }
            concat = mode.equals("concat");
            dropout = c.doubleOr("dropout", 0);
            if (!(dropout >= 0 && dropout < 1)) {
                throw c.error("dropout " + dropout + " is not in [0, 1); set a rate in [0, 1)");
            }
            causal = causal(c, firstCall);
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (inputs.size() != 2 && inputs.size() != 3) {
                throw error("receives " + inputs.size() + " inputs; connect [query, value] or [query, value, key]");
            }
            Shape q = inputs.get(0);
            Shape v = inputs.get(1);
            Shape k = inputs.size() == 3 ? inputs.get(2) : v;
            if (q.dimension() != 2 || v.dimension() != 2 || k.dimension() != 2 || !Shapes.compatible(new Shape(q.get(1)), new Shape(k.get(1)))
                    || !Shapes.compatible(new Shape(v.get(0)), new Shape(k.get(0)))) {
                throw error("inputs " + inputs.stream().map(Shapes::keras).toList() + " do not fit: query [tq, d], value [tv, dv], key [tv, d]; "
                        + "fix the connections");
            }
            return List.of(new Shape(q.get(0), v.get(1)));
        }

        @Override
        List<WeightSpec> weights(List<Shape> inputs) {
            List<WeightSpec> w = new ArrayList<>();
            if (useScale) {
                w.add(new WeightSpec("scale", new Shape(), true, KerasInitializer.ONES));
            }
            if (concat) {
                w.add(new WeightSpec("concat_score_weight", new Shape(), true, KerasInitializer.ONES));
            }
            return w;
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> w) {
            NDArray q = inputs.get(0);
            NDArray v = inputs.get(1);
            NDArray k = inputs.size() == 3 ? inputs.get(2) : v;
            NDArray scale = useScale ? w.get(0) : null;
            NDArray scores;
            if (concat) {
                NDArray sum = q.expandDims(2).add(k.expandDims(1));
                scores = (scale == null ? sum : sum.mul(scale)).tanh().sum(new int[] {-1}).mul(w.get(w.size() - 1));
            } else {
                scores = q.matMul(k.transpose(0, 2, 1));
                if (scale != null) {
                    scores = scores.mul(scale);
                }
            }
            NDArray valueMask = mask(ctx, 1);
            NDArray keep = keep(q, null, valueMask, causal, q.getShape().get(1), v.getShape().get(1));
            NDArray weights = dropout(ctx, softmax(scores, keep), dropout);
            NDArray out = weights.matMul(v);
            NDArray queryMask = mask(ctx, 0);
            return new NDList(queryMask == null ? out : out.mul(queryMask.expandDims(2)));
        }

        @Override
        List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
            NDArray q = mask(ctx, 0);
            return q == null ? null : List.of(q);
        }
    }

    /**
     * Keras's MultiHeadAttention over inputs [query, value] or [query, value, key] of shape [positions..., features]
     * (positions flattened): query, key and value kernels [d, heads, dim] with biases [heads, dim], an output kernel
     * [heads, value_dim, out] with bias [out]; scores scaled by 1/sqrt(key_dim).
     */
    static final class MultiHead extends Layer {
        private final int heads;
        private final int keyDim;
        private final int valueDim;
        private final double dropout;
        private final boolean useBias;
        private final Integer outputDim;
        private final boolean causal;
        /** The attention_axes Keras 3 writes once built, or null; Hopper attends over every position axis only. */
        private final List<Integer> attentionAxes;
        private final KerasInitializer kernelInit;
        private final KerasInitializer biasInit;

        MultiHead(LayerConfig c, JsonNode firstCall) {
            super(c);
            heads = c.requiredPositiveInt("num_heads");
            keyDim = c.requiredPositiveInt("key_dim");
            valueDim = c.has("value_dim") ? c.requiredPositiveInt("value_dim") : keyDim;
            dropout = c.doubleOr("dropout", 0);
            if (!(dropout >= 0 && dropout < 1)) {
                throw c.error("dropout " + dropout + " is not in [0, 1); set a rate in [0, 1)");
            }
            useBias = c.boolOr("use_bias", true);
            JsonNode out = c.node("output_shape");
            if (out == null || out.isNull()) {
                outputDim = null;
            } else if (out.isIntegralNumber() || out.isArray() && out.size() == 1 && out.get(0).isIntegralNumber()) {
                outputDim = (out.isArray() ? out.get(0) : out).asInt();
            } else {
                throw c.error("output_shape " + out + " is not one size; give one integer or null");
            }
            JsonNode axes = c.node("attention_axes");
            if (axes != null && !axes.isNull()) {
                attentionAxes = new ArrayList<>();
                (axes.isArray() ? axes : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(axes))
                        .forEach(a -> attentionAxes.add(a.asInt()));
            } else {
                attentionAxes = null;
            }
            causal = causal(c, firstCall);
            kernelInit = c.initializer("kernel_initializer", KerasInitializer.GLOROT_UNIFORM);
            biasInit = c.initializer("bias_initializer", KerasInitializer.ZEROS);
        }

        private long features(Shape s, String what) {
            if (s.dimension() < 2) {
                throw error("the " + what + " " + Shapes.keras(s) + " needs positions and features; give it rank 2 or more");
            }
            return known(s.get(s.dimension() - 1), "the " + what + "'s feature dimension");
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (inputs.size() != 2 && inputs.size() != 3) {
                throw error("receives " + inputs.size() + " inputs; call it on (query, value) or (query, value, key)");
            }
            Shape q = inputs.get(0);
            long dq = features(q, "query");
            if (attentionAxes != null) {
                List<Integer> all = new ArrayList<>();
                for (int a = 1; a < q.dimension(); a++) {
                    all.add(a);
                }
                List<Integer> given = attentionAxes.stream().map(a -> a < 0 ? a + q.dimension() + 2 : a).toList();
                if (!given.equals(all)) {
                    throw error("attention_axes " + attentionAxes + " is not every position axis " + all
                            + "; Hopper attends over all positions, so set it to null or " + all);
                }
            }
            features(inputs.get(1), "value");
            if (inputs.size() == 3) {
                features(inputs.get(2), "key");
            }
            return List.of(q.slice(0, q.dimension() - 1).add(outputDim == null ? dq : outputDim));
        }

        @Override
        List<WeightSpec> weights(List<Shape> inputs) {
            long dq = features(inputs.get(0), "query");
            long dv = features(inputs.get(1), "value");
            long dk = inputs.size() == 3 ? features(inputs.get(2), "key") : dv;
            long out = outputDim == null ? dq : outputDim;
            List<WeightSpec> w = new ArrayList<>();
            dense(w, "query", new Shape(dq, heads, keyDim), new Shape(heads, keyDim));
            dense(w, "key", new Shape(dk, heads, keyDim), new Shape(heads, keyDim));
            dense(w, "value", new Shape(dv, heads, valueDim), new Shape(heads, valueDim));
            dense(w, "attention_output", new Shape(heads, valueDim, out), new Shape(out));
            return w;
        }

        private void dense(List<WeightSpec> w, String name, Shape kernel, Shape bias) {
            w.add(new WeightSpec(name + "/kernel", kernel, true, kernelInit));
            if (useBias) {
                w.add(new WeightSpec(name + "/bias", bias, true, biasInit));
            }
        }

        /** [batch, positions..., d] to [batch, heads, positions, dim] through a kernel [d, heads, dim] (and bias). */
        private NDArray project(NDArray x, List<NDArray> w, int at, int dim) {
            long batch = x.getShape().get(0);
            long d = x.getShape().get(x.getShape().dimension() - 1);
            NDArray y = x.reshape(batch, -1, d).matMul(w.get(at).reshape(d, (long) heads * dim));
            if (useBias) {
                y = y.add(w.get(at + 1).reshape((long) heads * dim));
            }
            return y.reshape(batch, -1, heads, dim).transpose(0, 2, 1, 3);
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> w) {
            NDArray query = inputs.get(0);
            NDArray value = inputs.get(1);
            NDArray key = inputs.size() == 3 ? inputs.get(2) : value;
            int per = useBias ? 2 : 1;
            NDArray q = project(query, w, 0, keyDim).mul((float) (1 / Math.sqrt(keyDim)));
            NDArray k = project(key, w, per, keyDim);
            NDArray v = project(value, w, 2 * per, valueDim);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // [batch, heads, tq, tv]
            NDArray valueMask = mask(ctx, 1);
            NDArray queryMask = mask(ctx, 0);
            NDArray keyMask = inputs.size() == 3 ? mask(ctx, 2) : null;
            NDArray vk = valueMask == null ? keyMask : keyMask == null ? valueMask : valueMask.mul(keyMask);
            NDArray keep = keep(scores, queryMask, vk, causal, scores.getShape().get(2), scores.getShape().get(3));
            NDArray weights = dropout(ctx, softmax(scores, keep == null ? null : keep.expandDims(1)), dropout);
            NDArray attended = weights.matMul(v).transpose(0, 2, 1, 3); // [batch, tq, heads, value_dim]
            long batch = query.getShape().get(0);
            NDArray outKernel = w.get(3 * per);
            long out = outKernel.getShape().get(2);
            NDArray y = attended.reshape(batch, -1, (long) heads * valueDim).matMul(outKernel.reshape((long) heads * valueDim, out));
            if (useBias) {
                y = y.add(w.get(3 * per + 1));
            }
            Shape qs = query.getShape();
            return new NDList(y.reshape(qs.slice(0, qs.dimension() - 1).add(out)));
        }

        @Override
        List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
            NDArray q = mask(ctx, 0);
            return q == null ? null : List.of(q);
        }
    }
}
