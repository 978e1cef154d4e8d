package io.hopper.engine;

import io.hopper.data.PackedBuffer;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.runtime.EvalResult;
import io.hopper.model.runtime.TrainResult;
import io.hopper.model.runtime.TrainableModel;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs units where their partitions are, for both engines (the embedded engine's workers, the Spark executors):
 * import the unit's state -> train one pass or evaluate -> export the state, reading the partition from the store
 * or, with caching, from the copy decoded at the first visit.
 *
 * <p>It keeps idle models per mst key (a model is borrowed by one unit at a time and imports the unit's state before
 * running, so a result never depends on what ran before) and, with caching, every (table, partition) it read, until
 * {@link #close()}. When a configuration's settings changed between its units (a search replaced them), a kept model
 * takes the new optimizer settings in place, or is rebuilt when its architecture, loss or optimizer differ. Safe for
 * concurrent units.
 */
public final class UnitRunner implements AutoCloseable {
    /** Reads one partition of a packed table. */
    @FunctionalInterface
    public interface PartitionReader {
        /** The buffers of {@code partition} of {@code table}. */
        List<PackedBuffer> read(String table, int partition);
    }

    /**
     * What a unit gave.
     *
     * @param state the state after training; for an eval unit the state it ran with
     * @param loss the mean training loss, or the evaluation loss
     * @param metric the evaluation metric, when the configuration has one (empty for a train unit)
     * @param samples the samples seen
     * @param readStore whether the unit read its partition from the store
     * @param outputLosses an eval unit's loss of each output (empty for a train unit)
     * @param outputMetrics an eval unit's metric of each output (empty for a train unit or without a metric)
     */
    public record Ran(byte[] state, double loss, OptionalDouble metric, long samples, boolean readStore, List<Double> outputLosses,
                      List<Double> outputMetrics) {
        /** Copies the lists. */
        public Ran {
            outputLosses = List.copyOf(outputLosses);
            outputMetrics = List.copyOf(outputMetrics);
        }
    }

    private record PartitionKey(String table, int partition) {
    }

    private final boolean useCaching;
    private final PartitionReader reader;
    private final Map<PartitionKey, List<PackedBuffer>> cache = new ConcurrentHashMap<>();
    private final Map<Integer, Queue<Kept>> models = new ConcurrentHashMap<>();

    /** An idle model and the architecture it was built from. */
    private record Kept(String archJson, TrainableModel model) {
    }
    private final AtomicLong storeReads = new AtomicLong();

    /**
     * A runner reading partitions with {@code reader}.
     *
     * @param useCaching whether to keep each decoded (table, partition) after the first visit
     */
    public UnitRunner(boolean useCaching, PartitionReader reader) {
        this.useCaching = useCaching;
        this.reader = reader;
    }

    /**
     * Runs one unit of configuration {@code mstKey} on {@code partition} of {@code table}.
     *
     * @param archJson the architecture (parsed only when no idle model of the key with it is left)
     * @param compile the compile params
     * @param fit the fit params (batch size) of a train unit
     */
    public Ran run(int mstKey, Phase phase, String table, int partition, String archJson, Supplier<CompileParams> compile,
                   FitParams fit, byte[] state, long unitSeed) {
        boolean[] read = {false};
        List<PackedBuffer> buffers = useCaching ? cache.computeIfAbsent(new PartitionKey(table, partition), k -> {
            read[0] = true;
            return read(table, partition);
        }) : read(table, partition);
        read[0] |= !useCaching;
        Queue<Kept> idle = models.computeIfAbsent(mstKey, k -> new ConcurrentLinkedQueue<>());
        CompileParams settings = compile.get();
        TrainableModel model = fitting(idle.poll(), archJson, settings);
        if (model == null) {
            // The seed only fills the weights until the unit's state is imported.
            model = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(archJson)), settings, mstKey);
        }
        Ran ran;
        try {
            model.importState(state);
            if (phase == Phase.TRAIN) {
                TrainResult r = model.trainPass(buffers, fit, unitSeed);
                ran = new Ran(model.exportState(), r.meanLoss(), OptionalDouble.empty(), r.samples(), read[0], List.of(), List.of());
            } else {
                EvalResult r = model.evaluate(buffers);
                ran = new Ran(state, r.loss(), r.metric(), r.samples(), read[0], r.outputLosses(), r.outputMetrics());
            }
        } catch (RuntimeException | Error e) {
            // A model a failed unit left behind is not reused (a retry builds a fresh one).
            try {
                model.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        idle.add(new Kept(archJson, model));
        return ran;
    }

    /**
     * The kept model when it can run a unit of {@code archJson} and {@code compile} (its optimizer settings replaced
     * when only they changed), else null (the kept model, if any, closed).
     */
    private static TrainableModel fitting(Kept kept, String archJson, CompileParams compile) {
        if (kept == null) {
            return null;
        }
        TrainableModel model = kept.model();
        if (kept.archJson().equals(archJson)) {
            if (model.compileParams().equals(compile)) {
                return model;
            }
            CompileParams now = model.compileParams();
            if (compile.withOptimizer(now.optimizer()).equals(now)
                    && TrainableModel.sameStateLayout(now.optimizer(), compile.optimizer())) {
                model.replaceCompileParams(compile);
                return model;
            }
        }
        model.close();
        return null;
    }

    /** {@link #run} for a task of this JVM. */
    public Ran run(UnitTask task) {
        return run(task.unit().mstKey(), task.phase(), task.table(), task.unit().partition(), task.model().archJson(),
                task.model()::compile, task.model().fit(), task.state(), task.unitSeed());
    }

    private List<PackedBuffer> read(String table, int partition) {
        storeReads.incrementAndGet();
        return reader.read(table, partition);
    }

    /** How many partitions it read from the store. */
    public long storeReads() {
        return storeReads.get();
    }

    /** How many (table, partition) it caches. */
    public int cachedPartitions() {
        return cache.size();
    }

    /** Frees the models and the cached partitions. */
    @Override
    public void close() {
        models.values().forEach(q -> q.forEach(k -> k.model().close()));
        models.clear();
        cache.clear();
    }
}
