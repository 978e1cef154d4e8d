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
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.Metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A network with its loss, metric and optimizer, trained on packed buffers, whose whole training state travels as
 * one portable byte array.
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
 * RMSprop and Adagrad: accumulator; Adadelta: accumulator, delta_accumulator; Adamax: m, u; Nadam: m, v).
 * {@link #importState} accepts exactly these entries with these types and shapes.
 */
public final class TrainableModel implements AutoCloseable {
    /** Rows per forward call in {@link #evaluate}; results do not depend on it beyond float summation order. */
    private static final int EVAL_ROWS = 256;
    private static final long DROPOUT_STREAM = -1;

    private final Network network;
    private final Block block;
    private final CompileParams compile;
    private final Optional<Metric> metric;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final List<String> paramNames = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> trainable = new ArrayList<>();
    private final Optimizer optimizer;
    private final Shape sampleShape;
    private final long classes;

    /**
     * Builds the model and initializes its weights.
     *
     * @param network a network not used by any other model (its block must not be initialized yet)
     * @param compile the loss, metric and optimizer
     * @param seed the seed of the initial weights
     */
    public TrainableModel(Network network, CompileParams compile, long seed) {
        this.network = network;
        this.block = network.block();
        this.compile = compile;
        if (network.inputShapes().size() != 1 || network.outputShapes().size() != 1) {
            throw new IllegalArgumentException("network: has " + network.inputShapes().size() + " inputs and " + network.outputShapes().size()
                    + " outputs; the runtime trains single-input, single-output networks");
        }
        this.sampleShape = network.inputShapes().get(0);
        Shape out = network.outputShapes().get(0);
        if (out.dimension() != 1) {
            throw new IllegalArgumentException("network: output shape " + out + " must be [classes]; flatten the output before the last layer");
        }
        this.classes = out.get(0);
        this.metric = compile.metric().map(m -> Metrics.resolve(m, compile.loss(), classes));
        if (block.isInitialized()) {
            throw new IllegalArgumentException("network: its block is already initialized (shared with another model?); build a fresh Network per TrainableModel");
        }
        this.manager = NDManager.newBaseManager();
        if (!"PyTorch".equals(manager.getEngine().getEngineName())) {
            manager.close();
            throw new IllegalStateException("engine: the runtime needs the PyTorch engine but the default engine is " + manager.getEngine().getEngineName());
        }
        boolean grad = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            network.initialize(manager, seed);
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
                }
            }
            List<String> trainableNames = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).requiresGradient()) {
                    trainableNames.add(paramNames.get(i));
                }
            }
            this.optimizer = Optimizer.create(compile.optimizer(), trainableNames, trainable);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            JniUtils.setGradMode(grad);
        }
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** The network this model trains. */
    public Network network() {
        return network;
    }

    /** The compile parameters. */
    public CompileParams compileParams() {
        return compile;
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
     * from (unitSeed, epoch); otherwise their order is kept. Each step's forward call gets a seed derived from
     * unitSeed under {@link Network#SEED_PARAM}. With {@code fit.classWeight()} each sample's loss is weighted by the
     * weight of its class (argmax of its one-hot label) and the batch loss is mean(w * loss) / mean(w != 0), as in
     * Keras 2. {@code verbose} and the TensorBoard log directory do not affect training.
     *
     * @param buffers the data, visited in order
     * @param fit batch size, epochs, shuffle, class weights
     * @param unitSeed the seed of this pass's random draws
     * @return the sample-weighted mean training loss and the step count
     * @throws IllegalArgumentException when a buffer does not fit the network, class_weight misses a class present in
     *     the data, or steps_per_epoch is given (not supported)
     */
    public TrainResult trainPass(List<PackedBuffer> buffers, FitParams fit, long unitSeed) {
        buffers.forEach(this::checkBuffer);
        if (fit.stepsPerEpoch().isPresent()) {
            throw new IllegalArgumentException("fit_params: steps_per_epoch=" + fit.stepsPerEpoch().getAsInt()
                    + " is not supported with packed buffers; remove it (each epoch visits every sample)");
        }
        float[] byClass = classWeights(fit.classWeight());
        List<float[]> weights = new ArrayList<>();
        for (PackedBuffer buffer : buffers) {
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
                    PackedBuffer buffer = buffers.get(b);
                    int[] rows = fit.shuffle() ? permutation(buffer.rows(), order) : null;
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
        float[] byClass = new float[(int) classes];
        Arrays.fill(byClass, Float.NaN);
        for (Map.Entry<Integer, Double> e : weights.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= classes) {
                throw new IllegalArgumentException("fit_params: class_weight names class " + e.getKey() + " but the network has "
                        + classes + " classes (0.." + (classes - 1) + "); use class indices");
            }
            byClass[e.getKey()] = e.getValue().floatValue();
        }
        return byClass;
    }

    /** The class weight of every row of a buffer (Keras 2 requires a weight for every class present). */
    private float[] rowWeights(PackedBuffer buffer, float[] byClass) {
        int width = (int) classes;
        short[] y = buffer.y();
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

    private float step(PackedBuffer buffer, int[] rows, int start, int n, long seed, float[] rowWeights) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = features(buffer, rows, start, n);
            NDArray y = targets(buffer, rows, start, n);
            PairList<String, Object> forwardParams = new PairList<>();
            forwardParams.add(Network.SEED_PARAM, seed);
            JniUtils.setGradMode(true);
            NDArray predicted = block.forward(parameterStore, new NDList(x), true, forwardParams).singletonOrThrow();
            NDArray perSample = Losses.perSample(compile.loss(), predicted, y);
            NDArray loss;
            if (rowWeights == null) {
                loss = perSample.mean();
            } else {
                float[] weights = new float[n];
                int nonZero = 0;
                for (int j = 0; j < n; j++) {
                    weights[j] = rowWeights[rows == null ? start + j : rows[start + j]];
                    nonZero += weights[j] != 0 ? 1 : 0;
                }
                loss = perSample.mul(manager.create(weights)).div((float) nonZero / n).mean();
            }
            JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
            JniUtils.setGradMode(false);
            List<NDArray> grads = new ArrayList<>(trainable.size());
            for (NDArray p : trainable) {
                grads.add(p.getGradient());
            }
            optimizer.step(trainable, grads);
            for (NDArray p : trainable) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
            return loss.getFloat();
        }
    }

    /**
     * Computes the loss and metric over the buffers in inference mode (no dropout, moving statistics).
     *
     * @param buffers the data
     * @return sample-weighted means and the sample count, to combine with {@link EvalResult#combine}
     */
    public EvalResult evaluate(List<PackedBuffer> buffers) {
        buffers.forEach(this::checkBuffer);
        boolean grad = JniUtils.isGradMode();
        double lossSum = 0;
        double metricSum = 0;
        long samples = 0;
        PairList<String, Object> forwardParams = new PairList<>();
        forwardParams.add(Network.SEED_PARAM, 0L);
        try {
            JniUtils.setGradMode(false);
            for (PackedBuffer buffer : buffers) {
                for (int start = 0; start < buffer.rows(); start += EVAL_ROWS) {
                    int n = Math.min(EVAL_ROWS, buffer.rows() - start);
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray y = targets(buffer, null, start, n);
                        NDArray predicted = block.forward(parameterStore, new NDList(features(buffer, null, start, n)), false, forwardParams)
                                .singletonOrThrow();
                        lossSum += sum(Losses.perSample(compile.loss(), predicted, y));
                        if (metric.isPresent()) {
                            metricSum += sum(Metrics.perSample(metric.get(), predicted, y));
                        }
                    }
                    samples += n;
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        double lossMean = samples == 0 ? Double.NaN : lossSum / samples;
        OptionalDouble metricMean = metric.isPresent() ? OptionalDouble.of(samples == 0 ? Double.NaN : metricSum / samples) : OptionalDouble.empty();
        return new EvalResult(lossMean, metricMean, samples);
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

    private void checkBuffer(PackedBuffer buffer) {
        long[] dims = buffer.sampleShape().stream().mapToLong(Integer::longValue).toArray();
        if (!new Shape(dims).equals(sampleShape) || buffer.classes() != classes) {
            throw new IllegalArgumentException("buffer " + buffer.bufferId() + ": samples " + buffer.sampleShape() + " with " + buffer.classes()
                    + " classes do not fit the network's input " + sampleShape + " and " + classes + " outputs; pack the data for this architecture");
        }
    }

    private NDArray features(PackedBuffer buffer, int[] rows, int start, int n) {
        int width = (int) sampleShape.size();
        float[] x = buffer.x();
        float[] batch;
        if (rows == null) {
            batch = Arrays.copyOfRange(x, start * width, (start + n) * width);
        } else {
            batch = new float[n * width];
            for (int j = 0; j < n; j++) {
                System.arraycopy(x, rows[start + j] * width, batch, j * width, width);
            }
        }
        return manager.create(batch, new Shape(n).addAll(sampleShape));
    }

    private NDArray targets(PackedBuffer buffer, int[] rows, int start, int n) {
        int width = (int) classes;
        short[] y = buffer.y();
        float[] batch = new float[n * width];
        for (int j = 0; j < n; j++) {
            int row = rows == null ? start + j : rows[start + j];
            for (int c = 0; c < width; c++) {
                batch[j * width + c] = y[row * width + c];
            }
        }
        return manager.create(batch, new Shape(n, width));
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
