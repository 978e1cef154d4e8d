package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopper.model.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.List;

/** Keras's layer wrappers: Bidirectional (around a recurrent layer) and TimeDistributed (around any one-input layer). */
final class WrapperLayers {
    private WrapperLayers() {
    }

    private static JsonNode inner(LayerConfig c) {
        JsonNode layer = c.node("layer");
        if (layer == null || !layer.isObject() || !layer.path("class_name").isTextual()) {
            throw c.error("has no wrapped 'layer'; give the wrapped layer's class_name and config");
        }
        return layer;
    }

    private static Layer.Single single(LayerConfig wrapper, Layer layer) {
        if (!(layer instanceof Layer.Single s)) {
            throw wrapper.error("wraps '" + layer.name() + "' (" + layer.className() + "), which does not take one input; wrap a one-input layer");
        }
        return s;
    }

    /** Keras's Bidirectional: a forward and a backward copy of a recurrent layer, merged by merge_mode. */
    static final class Bidirectional extends Layer.Single {
        private final RecurrentLayers.Rnn forward;
        private final RecurrentLayers.Rnn backward;
        private final String mergeMode;

        Bidirectional(LayerConfig c, LayerFactory factory) {
            super(c);
            if (c.node("merge_mode") != null && c.node("merge_mode").isNull()) {
                throw c.error("merge_mode None (two separate outputs) is not supported; use concat, sum, mul or ave");
            }
            mergeMode = c.stringOr("merge_mode", "concat");
            if (!List.of("concat", "sum", "mul", "ave").contains(mergeMode)) {
                throw c.error("merge_mode '" + c.node("merge_mode") + "' is not supported; use concat, sum, mul or ave");
            }
            JsonNode inner = inner(c);
            forward = rnn(c, factory, inner, "forward_", false);
            backward = rnn(c, factory, c.has("backward_layer") ? c.node("backward_layer") : inner, "backward_", !c.has("backward_layer"));
            if (forward.returnSequences() != backward.returnSequences()) {
                throw c.error("forward and backward layers disagree on return_sequences; make them equal");
            }
        }

        private static RecurrentLayers.Rnn rnn(LayerConfig c, LayerFactory factory, JsonNode spec, String prefix, boolean flip) {
            ObjectNode copy = spec.deepCopy();
            ObjectNode cfg = copy.withObjectProperty("config");
            String name = cfg.path("name").asText(copy.path("class_name").asText().toLowerCase(java.util.Locale.ROOT));
            if (!name.startsWith(prefix)) {
                cfg.put("name", prefix + name);
            }
            if (flip) {
                cfg.put("go_backwards", !cfg.path("go_backwards").asBoolean(false));
            }
            Layer layer = factory.create(new LayerConfig(copy));
            if (!(layer instanceof RecurrentLayers.Rnn r)) {
                throw c.error("wraps a " + layer.className() + "; Bidirectional needs SimpleRNN, LSTM or GRU");
            }
            return r;
        }

        @Override
        List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
            return forward.returnSequences() && ctx.mask() != null ? List.of(ctx.mask()) : null;
        }

        @Override
        Shape outputShape(Shape in) {
            Shape f = forward.outputShape(in);
            Shape b = backward.outputShape(in);
            if (!f.equals(b)) {
                throw error("forward output " + Shapes.keras(f) + " and backward output " + Shapes.keras(b) + " differ; give both the same units");
            }
            if (!mergeMode.equals("concat")) {
                return f;
            }
            long[] out = f.getShape().clone();
            out[out.length - 1] *= 2;
            return new Shape(out);
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            List<WeightSpec> w = new ArrayList<>();
            w.addAll(forward.qualifiedWeights(List.of(in)));
            w.addAll(backward.qualifiedWeights(List.of(in)));
            return w;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int split = w.size() / 2;
            NDArray f = forward.forward(ctx.at(0).withMask(ctx.mask()), x, w.subList(0, split));
            NDArray b = backward.forward(ctx.at(1).withMask(ctx.mask()), x, w.subList(split, w.size()));
            if (backward.returnSequences()) {
                b = b.flip(1);
            }
            return switch (mergeMode) {
                case "concat" -> f.concat(b, -1);
                case "sum" -> f.add(b);
                case "mul" -> f.mul(b);
                default -> f.add(b).div(2f);
            };
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            int split = w.size() / 2;
            String f = forward.onnx(g, x, in, w.subList(0, split));
            String b = backward.onnx(g, x, in, w.subList(split, w.size()));
            if (backward.returnSequences()) {
                b = OnnxOps.reverse(g, b, name() + "/backward_flip", 1);
            }
            return switch (mergeMode) {
                case "concat" -> g.op("Concat", name(), List.of(f, b), io.hopper.model.onnx.OnnxAttribute.of("axis", -1L));
                case "sum" -> g.op("Add", name(), List.of(f, b));
                case "mul" -> g.op("Mul", name(), List.of(f, b));
                default -> g.op("Div", name(), List.of(g.op("Add", name() + "/sum", List.of(f, b)), g.scalar(name() + "/two", 2f)));
            };
        }
    }

    /** Keras's TimeDistributed: the wrapped layer applied to every time step of [time, dims...]. */
    static final class TimeDistributed extends Layer.Single {
        private final Layer.Single inner;

        TimeDistributed(LayerConfig c, LayerFactory factory) {
            super(c);
            inner = single(c, factory.create(new LayerConfig(inner(c))));
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            if (in.dimension() < 2) {
                throw error("needs an input of rank 2 or more [time, dims...] but gets " + Shapes.keras(in) + "; fix the input shape");
            }
            return new Shape(in.get(0)).addAll(inner.outputShape(in.slice(1)));
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            return inner.qualifiedWeights(List.of(in.slice(1)));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            Shape s = x.getShape();
            NDArray flat = x.reshape(new Shape(s.get(0) * s.get(1)).addAll(s.slice(2)));
            NDArray y = inner.forward(ctx.withMask(null), flat, w);
            return y.reshape(new Shape(s.get(0), s.get(1)).addAll(y.getShape().slice(1)));
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            Shape step = in.slice(1);
            if (Shapes.product(step) < 0) {
                throw error("needs a fully specified step shape " + Shapes.keras(step) + " for ONNX export; give the input a full shape");
            }
            long[] flatShape = new Shape(-1).addAll(step).getShape();
            String flat = g.op("Reshape", name() + "/steps_as_batch", List.of(x, g.longs(name() + "/flat_shape", flatShape)));
            String y = inner.onnx(g, flat, step, w);
            String leading = g.op("Slice", name() + "/batch_time", List.of(g.op("Shape", name() + "/input_shape", List.of(x)),
                    g.longs(name() + "/zero", 0), g.longs(name() + "/two", 2)));
            String shape = g.op("Concat", name() + "/shape", List.of(leading, g.longs(name() + "/step_out", inner.outputShape(step).getShape())),
                    io.hopper.model.onnx.OnnxAttribute.of("axis", 0L));
            return g.op("Reshape", name(), List.of(y, shape));
        }
    }
}
