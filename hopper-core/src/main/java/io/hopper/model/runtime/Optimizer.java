package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.params.OptimizerSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras 2 optimizer whose whole state (the iteration counter and one array per slot and parameter) can be exported
 * and imported bit-exactly; it updates the parameter arrays in place.
 *
 * <p>Every optimizer decays its learning rate as Keras 2 does, lr / (1 + decay * iterations), with the iteration count
 * before the step, and uses t = iterations + 1 in its bias corrections. The formulas are those of Keras 2.2.4's
 * optimizers.py. Callers run {@link #step} with autograd off.
 *
 * <p>A step updates all parameters at once: each slot is one flat array over every parameter (in order), the gradients
 * are concatenated into one flat array, the update formula runs once on the flat arrays, and each parameter subtracts
 * its slice of the result. The arithmetic is elementwise, so this gives the same bits as updating each parameter on
 * its own, with a fixed number of array operations per step instead of a dozen per parameter.
 */
abstract class Optimizer {
    private OptimizerSpec spec;
    private final List<String> paramNames;
    private final List<Shape> shapes;
    /** Where each parameter's slice starts in the flat arrays (after the first; the split points). */
    private final long[] splits;
    private final long total;
    private final DataType dataType;
    private final List<String> slotNames;
    private final NDArray[] slots;
    private final NDManager manager;
    private final Map<Float, NDArray> constants = new HashMap<>();
    private final Map<Float, NDArray> stepScalars = new HashMap<>();
    private long iterations;

    /**
     * Creates the optimizer with zero-filled slots ({@link #slotNames}), one flat array per slot over every parameter.
     *
     * @param spec the settings
     * @param paramNames the name of each parameter (used in state entries)
     * @param params the parameter arrays, in the order {@link #step} receives their gradients; all of one data type
     */
    Optimizer(OptimizerSpec spec, List<String> paramNames, List<NDArray> params) {
        this.spec = spec;
        this.paramNames = List.copyOf(paramNames);
        this.slotNames = slotNames(spec);
        this.manager = params.isEmpty() ? null : params.get(0).getManager();
        this.dataType = params.isEmpty() ? DataType.FLOAT32 : params.get(0).getDataType();
        List<Shape> shapeList = new ArrayList<>();
        this.splits = new long[Math.max(0, params.size() - 1)];
        long offset = 0;
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            if (p.getDataType() != dataType) {
                throw new IllegalStateException("optimizer: parameter '" + paramNames.get(i) + "' is " + p.getDataType() + " but '"
                        + paramNames.get(0) + "' is " + dataType + "; the runtime trains networks whose trainable parameters share one data type");
            }
            shapeList.add(p.getShape());
            offset += p.getShape().size();
            if (i < splits.length) {
                splits[i] = offset;
            }
        }
        this.shapes = List.copyOf(shapeList);
        this.total = offset;
        this.slots = new NDArray[slotNames.size()];
        for (int s = 0; s < slots.length && manager != null; s++) {
            slots[s] = manager.zeros(new Shape(total), dataType);
            NDScope.unregister(slots[s]);
        }
    }

    /** Creates the optimizer a spec describes. */
    static Optimizer create(OptimizerSpec spec, List<String> paramNames, List<NDArray> params) {
        if (spec instanceof OptimizerSpec.Sgd s) {
            return new Sgd(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.Adam s) {
            return new Adam(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.AdamW s) {
            return new AdamW(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.RmsProp s) {
            return new RmsProp(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.Adagrad s) {
            return new Adagrad(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.Adadelta s) {
            return new Adadelta(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.Adamax s) {
            return new Adamax(s, paramNames, params);
        } else if (spec instanceof OptimizerSpec.Nadam s) {
            return new Nadam(s, paramNames, params);
        }
        throw new IllegalArgumentException("compile_params: optimizer " + spec.kerasName() + " has no runtime implementation");
    }

    /**
     * The per-parameter state arrays the optimizer a spec describes keeps: SGD momentum (when momentum &gt; 0); Adam m,
     * v (and vhat with amsgrad); RMSprop and Adagrad accumulator; Adadelta accumulator, delta_accumulator; Adamax m, u;
     * Nadam m, v.
     */
    static List<String> slotNames(OptimizerSpec spec) {
        if (spec instanceof OptimizerSpec.Sgd s) {
            return s.momentum() == 0 ? List.of() : List.of("momentum");
        } else if (spec instanceof OptimizerSpec.Adam s) {
            return s.amsgrad() ? List.of("m", "v", "vhat") : List.of("m", "v");
        } else if (spec instanceof OptimizerSpec.AdamW s) {
            return s.amsgrad() ? List.of("m", "v", "vhat") : List.of("m", "v");
        } else if (spec instanceof OptimizerSpec.RmsProp || spec instanceof OptimizerSpec.Adagrad) {
            return List.of("accumulator");
        } else if (spec instanceof OptimizerSpec.Adadelta) {
            return List.of("accumulator", "delta_accumulator");
        } else if (spec instanceof OptimizerSpec.Adamax) {
            return List.of("m", "u");
        } else if (spec instanceof OptimizerSpec.Nadam) {
            return List.of("m", "v");
        }
        throw new IllegalArgumentException("compile_params: optimizer " + spec.kerasName() + " has no runtime implementation");
    }

    /**
     * Whether optimizers of the two specs keep the same state entries (the same class and the same slots), so that a
     * state exported by one imports into the other: only their hyperparameters differ.
     */
    static boolean sameStateLayout(OptimizerSpec a, OptimizerSpec b) {
        return a.getClass() == b.getClass() && slotNames(a).equals(slotNames(b));
    }

    /** The settings the next steps use. */
    final OptimizerSpec spec() {
        return spec;
    }

    /**
     * Replaces the hyperparameters (learning rate, decay, betas, ...) and keeps the whole state: the slots (Adam's
     * moments, ...), the optimizer-wide scalars and the iteration count. The next step uses the new settings.
     *
     * @throws IllegalArgumentException when the new spec is another optimizer or keeps other slots (SGD momentum 0
     *     and not 0, Adam with and without amsgrad)
     */
    final void replaceSpec(OptimizerSpec next) {
        if (!sameStateLayout(spec, next)) {
            throw new IllegalArgumentException("optimizer: cannot replace " + spec.canonical() + " by " + next.canonical()
                    + " in place: their states hold different entries (slots " + slotNames(spec) + " and " + slotNames(next)
                    + "); change only hyperparameters that keep the optimizer and its slots");
        }
        spec = next;
        specReplaced(next);
    }

    /** Takes the new settings of {@link #replaceSpec} (each subclass keeps its typed spec). */
    abstract void specReplaced(OptimizerSpec next);

    /** The number of steps taken (Keras's {@code optimizer.iterations}). */
    final long iterations() {
        return iterations;
    }

    /**
     * Applies one update to every parameter.
     *
     * @param params the parameter arrays given at construction, updated in place
     * @param grads their gradients, in the same order
     */
    final void step(List<NDArray> params, List<NDArray> grads) {
        double lr = spec.learningRate() / (1 + spec.decay() * iterations);
        long t = iterations + 1;
        stepScalars.values().forEach(NDArray::close);
        stepScalars.clear();
        beginStep(t);
        if (!params.isEmpty()) {
            decayWeights(params, lr);
            NDArray delta = update(flat(grads), lr, t);
            NDList parts = params.size() == 1 ? new NDList(delta) : delta.split(splits);
            for (int i = 0; i < params.size(); i++) {
                NDArray part = parts.get(i);
                params.get(i).subi(shapes.get(i).dimension() == 1 ? part : part.reshape(shapes.get(i)));
            }
        }
        iterations = t;
    }

    /** The gradients as one flat array (views where no copy is needed). */
    private static NDArray flat(List<NDArray> grads) {
        NDList flat = new NDList(grads.size());
        for (NDArray g : grads) {
            flat.add(g.getShape().dimension() == 1 ? g : g.reshape(-1));
        }
        return flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat);
    }

    /** Shrinks the weights before the update of a step (AdamW's decoupled weight decay); nothing by default. */
    void decayWeights(List<NDArray> params, double lr) {
    }

    /** Updates optimizer-wide scalars before the parameters of step t (Nadam's momentum schedule). */
    void beginStep(long t) {
    }

    /**
     * Updates the flat slots with the flat gradient, the decayed learning rate and the 1-based step t; returns the
     * flat array to subtract from the parameters. Must not modify {@code grad} in place.
     */
    abstract NDArray update(NDArray grad, double lr, long t);

    /**
     * A 0-d array of a hyperparameter-derived constant, created once (cheaper per step than a Java scalar, which the
     * engine turns into a new array at every operation; the arithmetic is the same).
     */
    final NDArray constant(double value) {
        return scalar(constants, value);
    }

    /** A 0-d array of a value that changes between steps (learning rate, bias corrections); freed next step. */
    final NDArray perStep(double value) {
        return scalar(stepScalars, value);
    }

    private NDArray scalar(Map<Float, NDArray> cache, double value) {
        return cache.computeIfAbsent((float) value, v -> {
            NDArray c = manager.create(v);
            NDScope.unregister(c);
            return c;
        });
    }

    /** Slot s, flat over every parameter. */
    final NDArray slot(int s) {
        return slots[s];
    }

    /** Replaces slot s with a new flat array (taking it out of the current scope). */
    final void replaceSlot(int s, NDArray value) {
        NDScope.unregister(value);
        slots[s].close();
        slots[s] = value;
    }

    /** The names of the optimizer-wide scalars other than the iteration count (float64 entries). */
    List<String> scalarNames() {
        return List.of();
    }

    /** The values of the scalars {@link #scalarNames} lists, in the same order. */
    List<Double> scalarValues() {
        return List.of();
    }

    /** Restores the scalars {@link #scalarNames} lists, in the same order. */
    void restoreScalars(List<Double> values) {
    }

    /** The prefix of every state entry of this optimizer: its Keras name and a slash. */
    final String prefix() {
        return spec.kerasName() + "/";
    }

    /** The state entries: iterations, the other scalars, then every slot of every parameter. */
    final List<StateFormat.Entry> exportState() {
        List<StateFormat.Entry> out = new ArrayList<>();
        out.add(StateFormat.Entry.ofLong(prefix() + "iterations", iterations));
        List<Double> values = scalarValues();
        for (int k = 0; k < values.size(); k++) {
            out.add(StateFormat.Entry.ofDouble(scalarNames().get(k), values.get(k)));
        }
        StateFormat.DType dtype = StateFormat.DType.of(dataType, prefix() + "slots");
        for (int s = 0; s < slots.length; s++) {
            if (slots[s] == null) {
                continue;
            }
            ByteBuffer all = slots[s].toByteBuffer();
            long offset = 0;
            for (int i = 0; i < paramNames.size(); i++) {
                long size = shapes.get(i).size();
                ByteBuffer part = all.duplicate().position(Math.toIntExact(offset * dtype.bytes))
                        .limit(Math.toIntExact((offset + size) * dtype.bytes)).slice().order(all.order());
                out.add(StateFormat.Entry.of(slotEntryName(s, i), dtype, shapes.get(i), part));
                offset += size;
            }
        }
        return out;
    }

    /**
     * Checks that a state holds every entry {@link #exportState} writes, with the right types and shapes.
     *
     * @return the names checked
     * @throws IllegalArgumentException naming the first entry that is missing or does not fit
     */
    final List<String> validate(Map<String, StateFormat.Entry> entries) {
        List<String> names = new ArrayList<>();
        names.add(prefix() + "iterations");
        StateFormat.require(entries, prefix() + "iterations").requireLike(StateFormat.DType.INT64, new Shape());
        for (String name : scalarNames()) {
            StateFormat.require(entries, name).requireLike(StateFormat.DType.FLOAT64, new Shape());
            names.add(name);
        }
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < paramNames.size(); i++) {
                String name = slotEntryName(s, i);
                StateFormat.require(entries, name).requireLike(StateFormat.DType.of(dataType, name), shapes.get(i));
                names.add(name);
            }
        }
        return names;
    }

    /** Restores a state that passed {@link #validate}. */
    final void importState(Map<String, StateFormat.Entry> entries) {
        iterations = entries.get(prefix() + "iterations").longValue();
        List<Double> values = new ArrayList<>();
        for (String name : scalarNames()) {
            values.add(entries.get(name).doubleValue());
        }
        restoreScalars(values);
        if (manager == null) {
            return;
        }
        StateFormat.DType dtype = StateFormat.DType.of(dataType, prefix() + "slots");
        for (int s = 0; s < slots.length; s++) {
            ByteBuffer flat = ByteBuffer.allocateDirect(Math.toIntExact(total * dtype.bytes)).order(ByteOrder.nativeOrder());
            for (int i = 0; i < paramNames.size(); i++) {
                entries.get(slotEntryName(s, i)).writeTo(flat);
            }
            replaceSlot(s, manager.create(flat.flip(), new Shape(total), dataType));
        }
    }

    private String slotEntryName(int s, int i) {
        return prefix() + slotNames.get(s) + "/" + paramNames.get(i);
    }

    /** SGD: v = momentum * v - lr * g; p += v (or p += momentum * v - lr * g with Nesterov). */
    static final class Sgd extends Optimizer {
        private OptimizerSpec.Sgd spec;

        Sgd(OptimizerSpec.Sgd spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.spec = spec;
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            this.spec = (OptimizerSpec.Sgd) next;
        }

        @Override
        NDArray update(NDArray g, double lr, long t) {
            if (spec.momentum() == 0) {
                return g.mul(perStep(lr));
            }
            NDArray v = slot(0);
            v.muli(constant(spec.momentum())).subi(g.mul(perStep(lr)));
            // p += x is p -= (-x), and a - b is -(b - a), exactly in IEEE arithmetic.
            return spec.nesterov() ? g.mul(perStep(lr)).subi(v.mul(constant(spec.momentum()))) : v.neg();
        }
    }

    /** Adam: m, v moving averages; p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v or max v) + eps). */
    static class Adam extends Optimizer {
        private double beta1;
        private double beta2;
        private double epsilon;
        private boolean amsgrad;

        Adam(OptimizerSpec spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            specReplaced(spec);
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            if (next instanceof OptimizerSpec.AdamW w) {
                beta1 = w.beta1();
                beta2 = w.beta2();
                epsilon = w.epsilon();
                amsgrad = w.amsgrad();
            } else {
                OptimizerSpec.Adam a = (OptimizerSpec.Adam) next;
                beta1 = a.beta1();
                beta2 = a.beta2();
                epsilon = a.epsilon();
                amsgrad = a.amsgrad();
            }
        }

        @Override
        final NDArray update(NDArray g, double lr, long t) {
            double b1 = beta1;
            double b2 = beta2;
            NDArray lrT = perStep(lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
            NDArray m = slot(0).muli(constant(b1)).addi(g.mul(constant(1 - b1)));
            NDArray v = slot(1).muli(constant(b2)).addi(g.square().muli(constant(1 - b2)));
            NDArray denominatorBase = v;
            if (amsgrad) {
                replaceSlot(2, slot(2).maximum(v));
                denominatorBase = slot(2);
            }
            return m.mul(lrT).divi(denominatorBase.sqrt().addi(constant(epsilon)));
        }
    }

    /** AdamW (Keras 2.11+ and Keras 3): p -= lr * weight_decay * p, then Adam's update with the same gradient. */
    static final class AdamW extends Adam {
        private double weightDecay;

        AdamW(OptimizerSpec.AdamW spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.weightDecay = spec.weightDecay();
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            super.specReplaced(next);
            this.weightDecay = ((OptimizerSpec.AdamW) next).weightDecay();
        }

        @Override
        void decayWeights(List<NDArray> params, double lr) {
            if (weightDecay == 0) {
                return;
            }
            NDArray factor = perStep(lr * weightDecay);
            for (NDArray p : params) {
                p.subi(p.mul(factor));
            }
        }
    }

    /** RMSprop: a = rho * a + (1 - rho) * g^2; p -= lr * g / (sqrt(a) + eps). */
    static final class RmsProp extends Optimizer {
        private OptimizerSpec.RmsProp spec;

        RmsProp(OptimizerSpec.RmsProp spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.spec = spec;
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            this.spec = (OptimizerSpec.RmsProp) next;
        }

        @Override
        NDArray update(NDArray g, double lr, long t) {
            NDArray a = slot(0).muli(constant(spec.rho())).addi(g.square().muli(constant(1 - spec.rho())));
            return g.mul(perStep(lr)).divi(a.sqrt().addi(constant(spec.epsilon())));
        }
    }

    /** Adagrad (accumulator starts at 0): a += g^2; p -= lr * g / (sqrt(a) + eps). */
    static final class Adagrad extends Optimizer {
        private OptimizerSpec.Adagrad spec;

        Adagrad(OptimizerSpec.Adagrad spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.spec = spec;
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            this.spec = (OptimizerSpec.Adagrad) next;
        }

        @Override
        NDArray update(NDArray g, double lr, long t) {
            NDArray a = slot(0).addi(g.square());
            return g.mul(perStep(lr)).divi(a.sqrt().addi(constant(spec.epsilon())));
        }
    }

    /**
     * Adadelta: a = rho * a + (1 - rho) * g^2; u = g * sqrt(d + eps) / sqrt(a + eps); p -= lr * u;
     * d = rho * d + (1 - rho) * u^2.
     */
    static final class Adadelta extends Optimizer {
        private OptimizerSpec.Adadelta spec;

        Adadelta(OptimizerSpec.Adadelta spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.spec = spec;
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            this.spec = (OptimizerSpec.Adadelta) next;
        }

        @Override
        NDArray update(NDArray g, double lr, long t) {
            NDArray rho = constant(spec.rho());
            NDArray oneMinusRho = constant(1 - spec.rho());
            NDArray eps = constant(spec.epsilon());
            NDArray a = slot(0).muli(rho).addi(g.square().muli(oneMinusRho));
            NDArray d = slot(1);
            NDArray u = g.mul(d.add(eps).sqrt()).divi(a.add(eps).sqrt());
            d.muli(rho).addi(u.square().muli(oneMinusRho));
            return u.mul(perStep(lr));
        }
    }

    /** Adamax: m = b1 * m + (1 - b1) * g; u = max(b2 * u, |g|); p -= lr / (1 - b1^t) * m / (u + eps). */
    static final class Adamax extends Optimizer {
        private OptimizerSpec.Adamax spec;

        Adamax(OptimizerSpec.Adamax spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.spec = spec;
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            this.spec = (OptimizerSpec.Adamax) next;
        }

        @Override
        NDArray update(NDArray g, double lr, long t) {
            double b1 = spec.beta1();
            NDArray lrT = perStep(lr / (1 - Math.pow(b1, t)));
            NDArray m = slot(0).muli(constant(b1)).addi(g.mul(constant(1 - b1)));
            replaceSlot(1, slot(1).mul(constant(spec.beta2())).maximum(g.abs()));
            return m.mul(lrT).divi(slot(1).add(constant(spec.epsilon())));
        }
    }

    /** Nadam with Keras 2's momentum schedule (m_schedule is optimizer-wide state, starting at 1). */
    static final class Nadam extends Optimizer {
        private OptimizerSpec.Nadam spec;
        private double mSchedule = 1.0;
        private double momentumCache;
        private double momentumCacheNext;
        private double mScheduleNext;

        Nadam(OptimizerSpec.Nadam spec, List<String> names, List<NDArray> params) {
            super(spec, names, params);
            this.spec = spec;
        }

        @Override
        void specReplaced(OptimizerSpec next) {
            this.spec = (OptimizerSpec.Nadam) next;
        }

        @Override
        void beginStep(long t) {
            double b1 = spec.beta1();
            momentumCache = b1 * (1 - 0.5 * Math.pow(0.96, t * spec.scheduleDecay()));
            momentumCacheNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * spec.scheduleDecay()));
            mSchedule = mSchedule * momentumCache;
            mScheduleNext = mSchedule * momentumCacheNext;
        }

        @Override
        NDArray update(NDArray g, double lr, long t) {
            double b1 = spec.beta1();
            double b2 = spec.beta2();
            NDArray gPrime = g.div(perStep(1 - mSchedule));
            NDArray m = slot(0).muli(constant(b1)).addi(g.mul(constant(1 - b1)));
            NDArray mPrime = m.div(perStep(1 - mScheduleNext));
            NDArray v = slot(1).muli(constant(b2)).addi(g.square().muli(constant(1 - b2)));
            NDArray vPrime = v.div(perStep(1 - Math.pow(b2, t)));
            NDArray mBar = gPrime.muli(perStep(1 - momentumCache)).addi(mPrime.muli(perStep(momentumCacheNext)));
            return mBar.muli(perStep(lr)).divi(vPrime.sqrt().addi(constant(spec.epsilon())));
        }

        @Override
        List<String> scalarNames() {
            return List.of(prefix() + "m_schedule");
        }

        @Override
        List<Double> scalarValues() {
            return List.of(mSchedule);
        }

        @Override
        void restoreScalars(List<Double> values) {
            mSchedule = values.get(0);
        }
    }
}
