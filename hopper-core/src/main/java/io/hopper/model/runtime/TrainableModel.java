package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.hopper.data.PackedBuffer;
import io.hopper.model.Network;
import io.hopper.model.WeightConstraint;
import io.hopper.model.WeightPenalty;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.Loss;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.OptimizerSpec;
import io.hopper.model.params.Metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A network with its loss, metric and optimizer, trained on packed buffers, whose whole training state travels as
 * one portable byte array.
 *
 * <p>Single-input, single-output networks train on {@link PackedBuffer}s ({@link #trainPass}, {@link #evaluate});
 * networks with several inputs or outputs train on {@link MultiBuffer}s ({@link #trainPassMulti},
 * {@link #evaluateMulti}), one x array per input and one y array per output, with Keras's total loss (the per-output
 * losses weighted by loss_weights and summed) and a metric per output. Both paths are the same computation.
 *
 * <p>The model owns its network (build a fresh {@link Network} per model) and an NDManager of its own. It is not
 * thread-safe, but it may move between threads: every call sets PyTorch's per-thread grad mode itself, so several
 * models can train at the same time in different threads (DJL's GradientCollector and Trainer are never used).
 * Everything random comes from the seeds passed in: the initial weights from the constructor's seed, the sample order
 * and the dropout seeds of a pass from its unit seed.
 *
 * <h2>State format</h2>
 * {@link #exportState} writes version 1 of this little-endian format (never Java serialization):
 * <pre>
 * magic    4 bytes  'H' 'O' 'P' 'S'
 * version  int32    1
 * count    int32    number of entries
 * entries, each:
 *   nameLength int32, name UTF-8 bytes
 *   dtype      int8   1 = float32, 2 = float64, 3 = int32, 4 = int64
 *   rank       int8   0..8 (0 = scalar)
 *   dims       int64 x rank
 *   data       product(dims) elements, row-major, little-endian
 * crc      int32    CRC-32 of every byte before it
 * </pre>
 * The entries are, in order: every parameter of the block (trainable or not, e.g. batch-normalization moving
 * statistics) under its DJL parameter path (e.g. {@code 01Linear_weight}); then the optimizer's state under its Keras
 * name: {@code <Optimizer>/iterations} (int64 scalar, the step count used by decay and bias correction), any
 * optimizer-wide scalar (Nadam's {@code Nadam/m_schedule}, float64), and one array per slot and trainable parameter,
 * {@code <Optimizer>/<slot>/<parameter>} (SGD: momentum when momentum &gt; 0; Adam: m, v and vhat with amsgrad;
 * AdamW: m, v; RMSprop and Adagrad: accumulator; Adadelta: accumulator, delta_accumulator; Adamax: m, u; Nadam: m, v).
 * {@link #importState} accepts exactly these entries with these types and shapes.
 */
public final class TrainableModel implements AutoCloseable {
    /** Rows per forward call in {@link #evaluate}; results do not depend on it beyond float summation order. */
    private static final int EVAL_ROWS = 256;
    private static final long DROPOUT_STREAM = -1;

    private final Network network;
    private final Block block;
    private CompileParams compile;
    private final List<Metric> metrics = new ArrayList<>();
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final List<String> paramNames = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> trainable = new ArrayList<>();
    /** The parameters with a weight regularizer and its penalty, added to the loss as Keras adds model.losses. */
    private final List<Pair<NDArray, WeightPenalty>> penalized = new ArrayList<>();
    /** The trainable parameters with a weight constraint, applied after every update as Keras's optimizers apply it. */
    private final List<Pair<NDArray, WeightConstraint>> constrained = new ArrayList<>();
    private final Optimizer optimizer;
    private final List<Shape> inputShapes;
    private final long[] classes;
    /** The loss of each output (compile_params' loss: one for all, a list or a dict by output name). */
    private final List<Loss> losses;
    /** Keras's loss_weights, one per output, or null when not given (every output weighs 1 and no product is taken). */
    private final float[] lossWeights;
    /** The 0-d 1 that seeds each backward pass, created once. */
    private final NDArray one;

    /**
     * Builds the model and initializes its weights.
     *
     * @param network a network not used by any other model (its block must not be initialized yet)
     * @param compile the loss, metric, loss weights (one per output when given) and optimizer
     * @param seed the seed of the initial weights
     * @throws IllegalArgumentException when an output is not [classes], loss_weights does not have one entry per output,
     *     or the network's block is already initialized
     */
    public TrainableModel(Network network, CompileParams compile, long seed) {
        this.network = network;
        this.block = network.block();
        this.compile = compile;
        this.inputShapes = List.copyOf(network.inputShapes());
        List<Shape> outputs = network.outputShapes();
        if (inputShapes.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("network: has " + inputShapes.size() + " inputs and " + outputs.size()
                    + " outputs; the runtime trains networks with at least one of each");
        }
        this.classes = new long[outputs.size()];
        this.losses = compile.outputLosses(network.outputNames());
        for (int k = 0; k < classes.length; k++) {
            if (outputs.get(k).dimension() != 1) {
                throw new IllegalArgumentException("network: output " + k + " has shape " + outputs.get(k)
                        + "; it must be [classes], so flatten the output before the last layer");
            }
            classes[k] = outputs.get(k).get(0);
            int output = k;
            compile.metric().ifPresent(m -> metrics.add(Metrics.resolve(m, losses.get(output), classes[output])));
        }
        List<Double> weights = compile.outputLossWeights(network.outputNames());
        this.lossWeights = weights.isEmpty() ? null : toFloats(weights);
        if (block.isInitialized()) {
            throw new IllegalArgumentException("network: its block is already initialized (shared with another model?); build a fresh Network per TrainableModel");
        }
        this.manager = NDManager.newBaseManager();
        if (!"PyTorch".equals(manager.getEngine().getEngineName())) {
            manager.close();
            throw new IllegalStateException("engine: the runtime needs the PyTorch engine but the default engine is " + manager.getEngine().getEngineName());
        }
        OneDnn.configure();
        boolean grad = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            network.initialize(manager, seed);
            Map<String, WeightPenalty> penalties = network.penalties();
            Map<String, WeightConstraint> constraints = network.constraints();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter parameter = p.getValue();
                if (!parameter.isInitialized()) {
                    throw new IllegalStateException("network: parameter '" + p.getKey() + "' was not initialized by Network.initialize");
                }
                paramNames.add(p.getKey());
                params.add(parameter);
                if (parameter.requiresGradient()) {
                    parameter.getArray().setRequiresGradient(true);
                    trainable.add(parameter.getArray());
                    WeightConstraint constraint = constraints.get(p.getKey());
                    if (constraint != null) {
                        constrained.add(new Pair<>(parameter.getArray(), constraint));
                    }
                }
                WeightPenalty penalty = penalties.get(p.getKey());
                if (penalty != null) {
                    penalized.add(new Pair<>(parameter.getArray(), penalty));
                }
            }
            List<String> trainableNames = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).requiresGradient()) {
                    trainableNames.add(paramNames.get(i));
                }
            }
            this.optimizer = Optimizer.create(compile.optimizer(), trainableNames, trainable);
            this.one = manager.create(1f);
            NDScope.unregister(one);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            JniUtils.setGradMode(grad);
        }
        this.parameterStore = new ParameterStore(manager, false);
    }

    private static float[] toFloats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    /** The network this model trains. */
    public Network network() {
        return network;
    }

    /** The compile parameters. */
    public CompileParams compileParams() {
        return compile;
    }

    /**
     * Replaces the optimizer's hyperparameters (learning rate, decay, betas, momentum, ...) and keeps the whole
     * training state: the weights, the optimizer's slots (Adam's moments, ...) and its iteration count. This is how a
     * search changes a configuration's settings mid-training (Population Based Training's explore step): the next
     * pass trains exactly as a model built with {@code next} that imported this model's state would.
     *
     * @param next compile_params that differ from the current ones in the optimizer's settings only
     * @throws IllegalArgumentException when the loss, metrics, loss weights, weighted metrics or sample weight mode
     *     differ, or the optimizer is another one or keeps other state entries ({@link #sameStateLayout})
     */
    public void replaceCompileParams(CompileParams next) {
        if (!next.withOptimizer(compile.optimizer()).equals(compile)) {
            throw new IllegalArgumentException("compile_params: cannot change \"" + compile.canonical() + "\" into \""
                    + next.canonical() + "\" in place: only the optimizer's settings may change; build a new model for"
                    + " another loss or metric");
        }
        optimizer.replaceSpec(next.optimizer());
        compile = next;
    }

    /**
     * Whether a state exported by a model with optimizer {@code a} imports into one with optimizer {@code b} of the same
     * network: the same optimizer keeping the same slots (SGD with momentum 0 keeps none, Adam with amsgrad keeps vhat).
     */
    public static boolean sameStateLayout(OptimizerSpec a, OptimizerSpec b) {
        return Optimizer.sameStateLayout(a, b);
    }

    /** The number of optimizer steps taken so far, including those of imported states. */
    public long iterations() {
        return optimizer.iterations();
    }

    /**
     * Trains for {@code fit.epochs() - fit.initialEpoch()} epochs (Keras's count; epochs when initial_epoch is 0) over
     * the buffers in the given order, in mini-batches of {@code fit.batchSize()} within each buffer (the last one of a
     * buffer smaller).
     *
     * <p>With {@code fit.shuffle()} the samples of each buffer are permuted before each epoch by a generator seeded
     * from (unitSeed, epoch); with shuffle='batch' ({@code fit.shuffleBatches()}) only the order of its full batches is;
     * otherwise their order is kept. Each step's forward call gets a seed derived from
     * unitSeed under {@link Network#SEED_PARAM}. With {@code fit.classWeight()} each sample's loss is weighted by the
     * weight of its class (argmax of its one-hot label) and the batch loss is mean(w * loss) / mean(w != 0), as in
     * Keras 2. {@code verbose} and the TensorBoard log directory do not affect training.
     *
     * @param buffers the data of a single-input, single-output network, visited in order
     * @param fit batch size, epochs, shuffle, class weights
     * @param unitSeed the seed of this pass's random draws
     * @return the sample-weighted mean training loss and the step count
     * @throws IllegalArgumentException when a buffer does not fit the network, class_weight misses a class present in
     *     the data, or steps_per_epoch is given (not supported)
     */
    public TrainResult trainPass(List<PackedBuffer> buffers, FitParams fit, long unitSeed) {
        return trainPassMulti(buffers.stream().map(MultiBuffer::of).toList(), fit, unitSeed);
    }

    /**
     * Trains like {@link #trainPass} on buffers with one x array per network input and one y array per output (MADlib's
     * x_0..x_n and y_0..y_n). The loss of a step is Keras's total: each output's batch loss times its loss_weights
     * entry (1 when absent), summed over the outputs; the returned mean loss is that total.
     *
     * @param buffers the data, visited in order
     * @param fit batch size, epochs, shuffle, class weights (single-output networks only)
     * @param unitSeed the seed of this pass's random draws
     * @return the sample-weighted mean training loss and the step count
     * @throws IllegalArgumentException when a buffer does not fit the network, class_weight is given for a network
     *     with several outputs or misses a class present in the data, or steps_per_epoch is given (not supported)
     */
    public TrainResult trainPassMulti(List<MultiBuffer> buffers, FitParams fit, long unitSeed) {
        buffers.forEach(this::checkBuffer);
        if (fit.stepsPerEpoch().isPresent()) {
            throw new IllegalArgumentException("fit_params: steps_per_epoch=" + fit.stepsPerEpoch().getAsInt()
                    + " is not supported with packed buffers; remove it (each epoch visits every sample)");
        }
        float[] byClass = classWeights(fit.classWeight());
        List<float[]> weights = new ArrayList<>();
        for (MultiBuffer buffer : buffers) {
            weights.add(byClass == null ? null : rowWeights(buffer, byClass));
        }
        boolean grad = JniUtils.isGradMode();
        SplittableRandom stepSeeds = new SplittableRandom(mix(unitSeed, DROPOUT_STREAM));
        double lossSum = 0;
        long steps = 0;
        long samples = 0;
        try {
            for (int epoch = fit.initialEpoch(); epoch < fit.epochs(); epoch++) {
                SplittableRandom order = new SplittableRandom(mix(unitSeed, epoch));
                for (int b = 0; b < buffers.size(); b++) {
                    MultiBuffer buffer = buffers.get(b);
                    int[] rows = fit.shuffleBatches() ? batchPermutation(buffer.rows(), fit.batchSize(), order)
                            : fit.shuffle() ? permutation(buffer.rows(), order) : null;
                    for (int start = 0; start < buffer.rows(); start += fit.batchSize()) {
                        int n = Math.min(fit.batchSize(), buffer.rows() - start);
                        lossSum += (double) step(buffer, rows, start, n, stepSeeds.nextLong(), weights.get(b)) * n;
                        steps++;
                        samples += n;
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return new TrainResult(samples == 0 ? Double.NaN : lossSum / samples, steps, samples);
    }

    /** The weight of each class index, or null without class weights. */
    private float[] classWeights(Map<Integer, Double> weights) {
        if (weights.isEmpty()) {
            return null;
        }
        if (classes.length != 1) {
            throw new IllegalArgumentException("fit_params: class_weight is given but the network has " + classes.length
                    + " outputs; class_weight applies to single-output networks, so remove it");
        }
        float[] byClass = new float[(int) classes[0]];
        Arrays.fill(byClass, Float.NaN);
        for (Map.Entry<Integer, Double> e : weights.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= classes[0]) {
                throw new IllegalArgumentException("fit_params: class_weight names class " + e.getKey() + " but the network has "
                        + classes[0] + " classes (0.." + (classes[0] - 1) + "); use class indices");
            }
            byClass[e.getKey()] = e.getValue().floatValue();
        }
        return byClass;
    }

    /** The class weight of every row of a single-output buffer (Keras 2 requires a weight for every class present). */
    private float[] rowWeights(MultiBuffer buffer, float[] byClass) {
        int width = (int) classes[0];
        short[] y = buffer.y(0);
        float[] weights = new float[buffer.rows()];
        for (int row = 0; row < weights.length; row++) {
            int best = 0;
            for (int c = 1; c < width; c++) {
                best = y[row * width + c] > y[row * width + best] ? c : best;
            }
            if (Float.isNaN(byClass[best])) {
                throw new IllegalArgumentException("fit_params: class_weight has no weight for class " + best
                        + ", which buffer " + buffer.bufferId() + " contains; give a weight for every class");
            }
            weights[row] = byClass[best];
        }
        return weights;
    }

    private float step(MultiBuffer buffer, int[] rows, int start, int n, long seed, float[] rowWeights) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList xs = features(buffer, rows, start, n);
            PairList<String, Object> forwardParams = new PairList<>();
            forwardParams.add(Network.SEED_PARAM, seed);
            JniUtils.setGradMode(true);
            NDList predicted = block.forward(parameterStore, xs, true, forwardParams);
            NDArray loss = null;
            for (int k = 0; k < classes.length; k++) {
                NDArray perSample = Losses.perSample(losses.get(k), predicted.get(k), targets(buffer, k, rows, start, n));
                NDArray outputLoss;
                if (rowWeights == null) {
                    outputLoss = perSample.mean();
                } else {
                    float[] weights = new float[n];
                    int nonZero = 0;
                    for (int j = 0; j < n; j++) {
                        weights[j] = rowWeights[rows == null ? start + j : rows[start + j]];
                        nonZero += weights[j] != 0 ? 1 : 0;
                    }
                    outputLoss = perSample.mul(manager.create(weights)).div((float) nonZero / n).mean();
                }
                if (lossWeights != null) {
                    outputLoss = outputLoss.mul(lossWeights[k]);
                }
                loss = loss == null ? outputLoss : loss.add(outputLoss);
            }
            for (Pair<NDArray, WeightPenalty> p : penalized) {
                loss = loss.add(p.getValue().of(p.getKey()));
            }
            if (trainable.isEmpty()) {
                // Every layer is frozen: Keras runs the step and updates nothing (there is no gradient to take).
                JniUtils.setGradMode(false);
                return loss.getFloat();
            }
            JniUtils.backward((PtNDArray) loss, (PtNDArray) one, false, false);
            JniUtils.setGradMode(false);
            List<NDArray> grads = new ArrayList<>(trainable.size());
            for (NDArray p : trainable) {
                grads.add(p.getGradient());
            }
            optimizer.step(trainable, grads);
            for (Pair<NDArray, WeightConstraint> c : constrained) {
                c.getKey().muli(c.getValue().factor(c.getKey()));
            }
            for (NDArray p : trainable) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
            return loss.getFloat();
        }
    }

    /**
     * Computes the loss and metric over the buffers in inference mode (no dropout, moving statistics).
     *
     * @param buffers the data of a single-input, single-output network
     * @return sample-weighted means and the sample count, to combine with {@link EvalResult#combine}
     */
    public EvalResult evaluate(List<PackedBuffer> buffers) {
        return evaluateMulti(buffers.stream().map(MultiBuffer::of).toList());
    }

    /**
     * Computes, like {@link #evaluate}, the loss and metric of each output over buffers with one x array per network
     * input and one y array per output, and Keras's total loss (the output losses weighted by loss_weights and summed).
     *
     * @param buffers the data
     * @return sample-weighted means and the sample count, to combine with {@link EvalResult#combine}
     */
    public EvalResult evaluateMulti(List<MultiBuffer> buffers) {
        buffers.forEach(this::checkBuffer);
        boolean grad = JniUtils.isGradMode();
        double[] lossSums = new double[classes.length];
        double[] metricSums = new double[metrics.size()];
        long samples = 0;
        PairList<String, Object> forwardParams = new PairList<>();
        forwardParams.add(Network.SEED_PARAM, 0L);
        try {
            JniUtils.setGradMode(false);
            for (MultiBuffer buffer : buffers) {
                for (int start = 0; start < buffer.rows(); start += EVAL_ROWS) {
                    int n = Math.min(EVAL_ROWS, buffer.rows() - start);
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDList predicted = block.forward(parameterStore, features(buffer, null, start, n), false, forwardParams);
                        for (int k = 0; k < classes.length; k++) {
                            NDArray y = targets(buffer, k, null, start, n);
                            lossSums[k] += sum(Losses.perSample(losses.get(k), predicted.get(k), y));
                            if (!metrics.isEmpty()) {
                                metricSums[k] += sum(Metrics.perSample(metrics.get(k), compile.topK(), predicted.get(k), y));
                            }
                        }
                    }
                    samples += n;
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        List<Double> outputLosses = new ArrayList<>();
        List<Double> outputMetrics = new ArrayList<>();
        double loss = penalty();
        double metric = 0;
        for (int k = 0; k < classes.length; k++) {
            double mean = samples == 0 ? Double.NaN : lossSums[k] / samples;
            outputLosses.add(mean);
            loss += lossWeights == null ? mean : lossWeights[k] * mean;
        }
        for (double m : metricSums) {
            double mean = samples == 0 ? Double.NaN : m / samples;
            outputMetrics.add(mean);
            metric += mean / metricSums.length;
        }
        return new EvalResult(loss, metrics.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(metric), samples, outputLosses, outputMetrics);
    }

    /** The weight regularizers' penalty at the current weights (Keras's evaluate adds it to the total loss too). */
    private double penalty() {
        if (penalized.isEmpty()) {
            return 0;
        }
        boolean grad = JniUtils.isGradMode();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            JniUtils.setGradMode(false);
            double total = 0;
            for (Pair<NDArray, WeightPenalty> p : penalized) {
                total += p.getValue().of(p.getKey()).getFloat();
            }
            return total;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static double sum(NDArray perSample) {
        double total = 0;
        for (float v : perSample.toFloatArray()) {
            total += v;
        }
        return total;
    }

    /**
     * The whole training state in the portable format described in the class documentation.
     *
     * @return a new byte array
     */
    public byte[] exportState() {
        boolean grad = JniUtils.isGradMode();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            JniUtils.setGradMode(false);
            List<StateFormat.Entry> entries = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                entries.add(StateFormat.Entry.of(paramNames.get(i), params.get(i).getArray()));
            }
            entries.addAll(optimizer.exportState());
            return StateFormat.write(entries);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * Replaces the whole training state (weights in place, optimizer state, iteration count) with an exported one.
     * Nothing changes when the bytes are rejected.
     *
     * @param state bytes from {@link #exportState} of a model with the same architecture and optimizer
     * @throws IllegalArgumentException when the bytes are corrupt, truncated, of another format version, or from a
     *     different architecture or optimizer (naming the first mismatching entry)
     */
    public void importState(byte[] state) {
        Map<String, StateFormat.Entry> entries = new HashMap<>();
        for (StateFormat.Entry e : StateFormat.read(state)) {
            entries.put(e.name(), e);
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < params.size(); i++) {
            NDArray array = params.get(i).getArray();
            String name = paramNames.get(i);
            StateFormat.require(entries, name).requireLike(StateFormat.DType.of(array.getDataType(), name), array.getShape());
            expected.add(name);
        }
        expected.addAll(optimizer.validate(entries));
        for (String name : entries.keySet()) {
            if (!expected.contains(name)) {
                throw new IllegalArgumentException("model state: unexpected entry '" + name
                        + "' that this model does not have; import a state exported from the same architecture and optimizer");
            }
        }
        boolean grad = JniUtils.isGradMode();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            JniUtils.setGradMode(false);
            for (int i = 0; i < params.size(); i++) {
                entries.get(paramNames.get(i)).copyInto(params.get(i).getArray());
            }
            optimizer.importState(entries);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** The number of arrays the model's manager holds (constant between calls: steps free their temporaries). */
    int managedArrays() {
        return manager.getManagedArrays().size();
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        manager.close();
    }

    private void checkBuffer(MultiBuffer buffer) {
        if (buffer.inputs() != inputShapes.size() || buffer.outputs() != classes.length) {
            throw new IllegalArgumentException("buffer " + buffer.bufferId() + ": has " + buffer.inputs() + " x and " + buffer.outputs()
                    + " y arrays but the network has " + inputShapes.size() + " inputs and " + classes.length
                    + " outputs; pack one x array per input and one y array per output");
        }
        for (int i = 0; i < inputShapes.size(); i++) {
            List<Integer> sample = buffer.sampleShape(i);
            Shape expected = inputShapes.get(i);
            if (!Network.fits(expected, sample)) {
                throw new IllegalArgumentException("buffer " + buffer.bufferId() + ": x_" + i + " samples " + sample + " do not fit the network's input "
                        + i + " " + expected + "; pack the data for this architecture");
            }
        }
        for (int k = 0; k < classes.length; k++) {
            if (buffer.classes(k) != classes[k]) {
                throw new IllegalArgumentException("buffer " + buffer.bufferId() + ": y_" + k + " has " + buffer.classes(k) + " classes but the network's output "
                        + k + " has " + classes[k] + "; pack the data for this architecture");
            }
        }
    }

    /** The batch of every input: rows start..start+n of the buffer, or of the permutation {@code rows} when not null. */
    private NDList features(MultiBuffer buffer, int[] rows, int start, int n) {
        NDList xs = new NDList(buffer.inputs());
        for (int i = 0; i < buffer.inputs(); i++) {
            List<Integer> sample = buffer.sampleShape(i);
            long[] dims = new long[sample.size() + 1];
            dims[0] = n;
            int width = 1;
            for (int d = 0; d < sample.size(); d++) {
                dims[d + 1] = sample.get(d);
                width *= sample.get(d);
            }
            float[] x = buffer.x(i);
            float[] batch;
            if (rows == null) {
                batch = Arrays.copyOfRange(x, start * width, (start + n) * width);
            } else {
                batch = new float[n * width];
                for (int j = 0; j < n; j++) {
                    System.arraycopy(x, rows[start + j] * width, batch, j * width, width);
                }
            }
            xs.add(manager.create(batch, new Shape(dims)));
        }
        return xs;
    }

    private NDArray targets(MultiBuffer buffer, int k, int[] rows, int start, int n) {
        int width = (int) classes[k];
        short[] y = buffer.y(k);
        float[] batch = new float[n * width];
        for (int j = 0; j < n; j++) {
            int row = rows == null ? start + j : rows[start + j];
            for (int c = 0; c < width; c++) {
                batch[j * width + c] = y[row * width + c];
            }
        }
        return manager.create(batch, new Shape(n, width));
    }

    /** Keras's shuffle='batch': the full batches of rows in a shuffled order, then the last partial batch, each batch's rows in order. */
    static int[] batchPermutation(int n, int batchSize, SplittableRandom random) {
        int[] batches = permutation(n / batchSize, random);
        int[] order = new int[n];
        int at = 0;
        for (int b : batches) {
            for (int i = 0; i < batchSize; i++) {
                order[at++] = b * batchSize + i;
            }
        }
        while (at < n) {
            order[at] = at;
            at++;
        }
        return order;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** A well-mixed seed for stream {@code stream} of {@code seed} (SplitMix64's finalizer). */
    static long mix(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
