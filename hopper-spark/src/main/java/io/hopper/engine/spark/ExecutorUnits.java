package io.hopper.engine.spark;

import io.hopper.data.PackedBuffer;
import io.hopper.data.PackedTables;
import io.hopper.engine.Phase;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.EvalResult;
import io.hopper.model.runtime.TrainResult;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.store.Store;
import io.hopper.store.Stores;
import org.apache.spark.SparkEnv;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The executor side of the Spark engine: runs one unit in the executor JVM, with that JVM's partition cache and
 * models.
 *
 * <p>The caches are static because an executor JVM outlives the tasks that fill them; entries are keyed by the
 * engine's fit id and removed by {@link #free}. A model is borrowed by one task at a time and imports the unit's
 * state before running, so results never depend on which units an executor ran before.
 */
final class ExecutorUnits {
    private static final Map<PartitionKey, List<PackedBuffer>> PARTITIONS = new ConcurrentHashMap<>();
    private static final Map<ModelKey, Queue<TrainableModel>> MODELS = new ConcurrentHashMap<>();

    private ExecutorUnits() {
    }

    /** A cached partition: which fit, which store, which table, which partition. */
    private record PartitionKey(String fitId, String store, String table, int partition) {
    }

    /** Idle models of one configuration of one fit. */
    private record ModelKey(String fitId, int mstKey) {
    }

    /** Runs one unit here and replies with the new state, the loss, this executor and whether it read the store. */
    static UnitReply run(UnitMessage m) {
        boolean[] read = {false};
        List<PackedBuffer> buffers;
        if (m.useCaching()) {
            buffers = PARTITIONS.computeIfAbsent(new PartitionKey(m.fitId(), m.storeLocation(), m.table(), m.partition()),
                    k -> {
                        read[0] = true;
                        return read(m);
                    });
        } else {
            read[0] = true;
            buffers = read(m);
        }
        Queue<TrainableModel> idle = MODELS.computeIfAbsent(new ModelKey(m.fitId(), m.mstKey()),
                k -> new ConcurrentLinkedQueue<>());
        TrainableModel model = idle.poll();
        if (model == null) {
            // The seed only fills the weights until the unit's state is imported.
            model = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(m.archJson())),
                    ParamParser.parseCompile(m.compileParams()), m.mstKey());
        }
        try {
            model.importState(m.state());
            SparkEnv env = SparkEnv.get();
            String executor = env.executorId();
            String host = env.blockManager().blockManagerId().host();
            if (m.phase() == Phase.TRAIN) {
                TrainResult r = model.trainPass(buffers, ParamParser.parseFit(m.fitParams()), m.unitSeed());
                return new UnitReply(model.exportState(), r.meanLoss(), Double.NaN, false, r.samples(), executor, host,
                        read[0]);
            }
            EvalResult r = model.evaluate(buffers);
            return new UnitReply(null, r.loss(), r.metric().orElse(Double.NaN), r.metric().isPresent(), r.samples(),
                    executor, host, read[0]);
        } finally {
            idle.add(model);
        }
    }

    private static List<PackedBuffer> read(UnitMessage m) {
        try (Store store = Stores.open(m.storeLocation())) {
            return PackedTables.readPartition(store, m.table(), m.partition());
        }
    }

    /** How many partitions this JVM caches, over all fits. */
    static int cachedPartitions() {
        return PARTITIONS.size();
    }

    /** Drops this JVM's cached partitions and models of fit {@code fitId}; returns how many partitions it dropped. */
    static int free(String fitId) {
        int dropped = 0;
        for (PartitionKey k : List.copyOf(PARTITIONS.keySet())) {
            if (k.fitId().equals(fitId) && PARTITIONS.remove(k) != null) {
                dropped++;
            }
        }
        for (ModelKey k : List.copyOf(MODELS.keySet())) {
            if (k.fitId().equals(fitId)) {
                Queue<TrainableModel> idle = MODELS.remove(k);
                if (idle != null) {
                    idle.forEach(TrainableModel::close);
                }
            }
        }
        return dropped;
    }
}
