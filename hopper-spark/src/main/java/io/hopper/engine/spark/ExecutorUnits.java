package io.hopper.engine.spark;

import io.hopper.data.PackedTables;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitRunner;
import io.hopper.model.params.ParamParser;
import io.hopper.store.Store;
import io.hopper.store.Stores;
import org.apache.spark.SparkEnv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor side of the Spark engine: runs one unit in the executor JVM with the {@link UnitRunner} the embedded
 * engine's workers use, one runner (models and partition cache) per fit.
 *
 * <p>The runners are static because an executor JVM outlives the tasks that fill them; they are keyed by the
 * engine's fit id and removed by {@link #free}.
 */
final class ExecutorUnits {
    private static final Map<String, UnitRunner> RUNNERS = new ConcurrentHashMap<>();

    private ExecutorUnits() {
    }

    /** Runs one unit here and replies with the new state, the loss, this executor and whether it read the store. */
    static UnitReply run(UnitMessage m) {
        UnitRunner runner = RUNNERS.computeIfAbsent(m.fitId(), id -> new UnitRunner(m.useCaching(), (table, partition) -> {
            try (Store store = Stores.open(m.storeLocation())) {
                return PackedTables.readPartition(store, table, partition);
            }
        }));
        UnitRunner.Ran r = runner.run(m.mstKey(), m.phase(), m.table(), m.partition(), m.archJson(),
                () -> ParamParser.parseCompile(m.compileParams()),
                m.phase() == Phase.TRAIN ? ParamParser.parseFit(m.fitParams()) : null, m.state(), m.unitSeed());
        SparkEnv env = SparkEnv.get();
        String executor = env.executorId();
        String host = env.blockManager().blockManagerId().host();
        return m.phase() == Phase.TRAIN
                ? new UnitReply(r.state(), r.loss(), Double.NaN, false, r.samples(), executor, host, r.readStore(), new double[0],
                        new double[0])
                : new UnitReply(null, r.loss(), r.metric().orElse(Double.NaN), r.metric().isPresent(), r.samples(), executor, host,
                        r.readStore(), doubles(r.outputLosses()), doubles(r.outputMetrics()));
    }

    private static double[] doubles(java.util.List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** How many partitions this JVM caches, over all fits. */
    static int cachedPartitions() {
        return RUNNERS.values().stream().mapToInt(UnitRunner::cachedPartitions).sum();
    }

    /** Drops this JVM's cached partitions and models of fit {@code fitId}; returns how many partitions it dropped. */
    static int free(String fitId) {
        UnitRunner runner = RUNNERS.remove(fitId);
        if (runner == null) {
            return 0;
        }
        int dropped = runner.cachedPartitions();
        runner.close();
        return dropped;
    }
}
