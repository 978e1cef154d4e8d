package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.hopper.model.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A Keras architecture as a trainable DJL network: the block, its shapes, Keras's initializers drawn from a Java
 * random stream per weight, and access to the weights in Keras's get_weights() order and layout (Dense kernel
 * [in, out], Conv2D kernel [kh, kw, in, out], BatchNormalization gamma, beta, moving mean, moving variance, ...).
 */
public final class KerasNetwork implements Network {
    private final KerasArchitecture architecture;
    private final KerasBlock block;
    private final List<WeightSpec> specs;

    /** Builds the (uninitialized) network of an architecture. */
    public KerasNetwork(KerasArchitecture architecture) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.block = new KerasBlock(architecture.graph());
        this.specs = architecture.graph().weights();
    }

    /** The architecture this network was built from. */
    public KerasArchitecture architecture() {
        return architecture;
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public List<Shape> inputShapes() {
        return architecture.inputShapes();
    }

    @Override
    public List<Shape> outputShapes() {
        return architecture.outputShapes();
    }

    /** The layers' weight regularizers (kernel_regularizer and the like), by weight name. */
    @Override
    public java.util.Map<String, io.hopper.model.WeightPenalty> penalties() {
        java.util.Map<String, io.hopper.model.WeightPenalty> out = new java.util.LinkedHashMap<>();
        for (WeightSpec w : specs) {
            if (!w.penalty().isNone()) {
                out.put(w.name(), w.penalty());
            }
        }
        return out;
    }

    /** The layers' weight constraints (kernel_constraint and the like), by weight name. */
    @Override
    public java.util.Map<String, io.hopper.model.WeightConstraint> constraints() {
        java.util.Map<String, io.hopper.model.WeightConstraint> out = new java.util.LinkedHashMap<>();
        for (WeightSpec w : specs) {
            w.constraint().ifPresent(c -> out.put(w.name(), c));
        }
        return out;
    }

    /** The output layers' names, as Keras names the model's outputs. */
    @Override
    public List<String> outputNames() {
        return architecture.outputNames();
    }

    /**
     * Fills every weight with its Keras initializer; weight i draws from {@code SplittableRandom(mix(seed, i))}, so
     * the same seed gives the same weights on any thread or machine. Re-initializing overwrites the arrays in place.
     */
    @Override
    public void initialize(NDManager manager, long seed) {
        List<Parameter> params = block.weights();
        for (int i = 0; i < specs.size(); i++) {
            WeightSpec spec = specs.get(i);
            float[] data = spec.initializer().sample(spec.shape(), new SplittableRandom(Seeds.mix(seed, i)));
            Parameter p = params.get(i);
            if (p.isInitialized()) {
                p.getArray().set(data);
            } else {
                NDArray a = manager.create(data, spec.shape());
                p.setArray(a);
                if (spec.trainable()) {
                    a.setRequiresGradient(true);
                }
            }
        }
    }

    /** The weights' names, e.g. {@code dense_1/kernel}, in Keras's get_weights() order. */
    public List<String> kerasWeightNames() {
        return specs.stream().map(WeightSpec::name).toList();
    }

    /** The weights' shapes in Keras's layout and get_weights() order. */
    public List<Shape> kerasWeightShapes() {
        return specs.stream().map(WeightSpec::shape).toList();
    }

    /** A copy of every weight, row-major in Keras's layout, in Keras's get_weights() order. */
    public List<float[]> kerasWeights() {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : block.weights()) {
            if (!p.isInitialized()) {
                throw new IllegalStateException("kerasWeights: the network is not initialized; call initialize(manager, seed) first");
            }
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    /** Every weight concatenated in Keras's get_weights() order and layout (the layout of MADlib's model_weights). */
    public float[] flatKerasWeights() {
        List<float[]> parts = kerasWeights();
        float[] flat = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, flat, at, p.length);
            at += p.length;
        }
        return flat;
    }

    /** Overwrites every weight from one array of all weights concatenated as {@link #flatKerasWeights()} returns them. */
    public void setFlatKerasWeights(float[] flat) {
        long total = specs.stream().mapToLong(s -> s.shape().size()).sum();
        if (flat.length != total) {
            throw new IllegalArgumentException("setFlatKerasWeights: got " + flat.length + " values but the model has " + total
                    + " weight values; pass all weights concatenated in get_weights() order");
        }
        List<float[]> parts = new ArrayList<>();
        int at = 0;
        for (WeightSpec s : specs) {
            int n = Math.toIntExact(s.shape().size());
            parts.add(java.util.Arrays.copyOfRange(flat, at, at + n));
            at += n;
        }
        setKerasWeights(parts);
    }

    /**
     * Overwrites every weight in place from arrays in Keras's get_weights() order and layout (e.g. MADlib's initial
     * model_weights).
     */
    public void setKerasWeights(List<float[]> weights) {
        if (weights.size() != specs.size()) {
            throw new IllegalArgumentException("setKerasWeights: got " + weights.size() + " arrays but the model has " + specs.size()
                    + " weights; pass one array per Keras weight in get_weights() order");
        }
        List<Parameter> params = block.weights();
        for (int i = 0; i < specs.size(); i++) {
            long size = specs.get(i).shape().size();
            if (weights.get(i).length != size) {
                throw new IllegalArgumentException("setKerasWeights: array " + i + " (" + specs.get(i).name() + ") has " + weights.get(i).length
                        + " values but its shape " + specs.get(i).shape() + " needs " + size + "; pass weights in Keras's order and layout");
            }
            if (!params.get(i).isInitialized()) {
                throw new IllegalStateException("setKerasWeights: the network is not initialized; call initialize(manager, seed) first");
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            params.get(i).getArray().set(weights.get(i));
        }
    }
}
