package io.hopper.engine.spark;

import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.engine.Engine;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitTask;
import io.hopper.engine.local.LocalEngine;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.Placement;
import io.hopper.mop.Unit;
import io.hopper.store.FileStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-unit overhead of the Spark engine against the embedded engine: a trivial model (one Dense unit on one
 * feature, 12 rows in 3 partitions, cached) trains unit after unit, after 200 warm-up units (Spark's job path
 * needs them to be compiled), and the mean wall time per unit is printed
 * for each engine with its ratio to the embedded engine.
 *
 * <p>Usage: {@code SparkOverheadBench [units] [master ...]}; default 300 units on {@code local[2]} and, when
 * SPARK_HOME holds a jars directory, {@code local-cluster[2,1,1024]}. Run it with scripts/bench-spark-overhead.sh.
 */
public final class SparkOverheadBench {
    private static final String TABLE = "bench_packed";
    private static final String ARCH = "{\"class_name\": \"Sequential\", \"keras_version\": \"2.1.6\", \"config\": "
            + "[{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", \"units\": 2, \"activation\": \"softmax\","
            + " \"use_bias\": true, \"batch_input_shape\": [null, 1], \"kernel_initializer\": {\"class_name\": "
            + "\"Zeros\", \"config\": {}}, \"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}}}]}";
    private static final int WARMUP = 200;

    private SparkOverheadBench() {
    }

    /** Runs the benchmark and prints one line per engine. */
    public static void main(String[] args) throws IOException {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        List<String> masters = new ArrayList<>(args.length > 1 ? List.of(args).subList(1, args.length) : List.of("local[2]"));
        String home = System.getenv("SPARK_HOME");
        if (args.length <= 1 && home != null && Files.isDirectory(Path.of(home, "jars"))) {
            masters.add("local-cluster[2,1,1024]");
        }
        Path dir = Files.createTempDirectory("hopper-spark-bench");
        Path store = dir.resolve("store");
        pack(dir, store);
        ModelSpec model = new ModelSpec(ARCH, ParamParser.parseCompile("loss='categorical_crossentropy', "
                + "optimizer='SGD(lr=0.01)', metrics=['accuracy']"), ParamParser.parseFit("batch_size=4, epochs=1"));
        byte[] state;
        try (TrainableModel m = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(ARCH)), model.compile(), 1)) {
            state = m.exportState();
        }
        double embedded;
        try (FileStore s = new FileStore(store); LocalEngine local = new LocalEngine(s, Placement.roundRobin(3, 1), true)) {
            embedded = msPerUnit(local, model, state, units);
        }
        System.out.printf(Locale.ROOT, "embedded            %8.3f ms/unit  1.00x%n", embedded);
        for (String master : masters) {
            try (SparkEngine spark = SparkEngine.start(SparkEngineConfig.of(Optional.of(master), store.toString(), true,
                    OptionalInt.of(1)), 3)) {
                double ms = msPerUnit(spark, model, state, units);
                System.out.printf(Locale.ROOT, "spark %-22s %8.3f ms/unit  %.2fx (%d state bytes)%n", master, ms,
                        ms / embedded, state.length);
            }
        }
    }

    private static void pack(Path dir, Path store) throws IOException {
        List<String> lines = new ArrayList<>(List.of("x,label"));
        for (int i = 0; i < 12; i++) {
            lines.add(i + "," + (i % 2 == 0 ? "even" : "odd"));
        }
        Path csv = Files.write(dir.resolve("bench.csv"), lines);
        try (FileStore s = new FileStore(store)) {
            new TrainingPreprocessor(s).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv))
                    .setOutputTable(TABLE).setDependentVarname("label").setIndependentVarname("x").optPartitions(3)
                    .optSeed(1).build());
        }
    }

    /** Mean wall time of one train unit, units run one after another over the partitions, after a warm-up. */
    private static double msPerUnit(Engine engine, ModelSpec model, byte[] initial, int units) {
        byte[] state = initial;
        long start = 0;
        for (int i = 0; i < WARMUP + units; i++) {
            if (i == WARMUP) {
                start = System.nanoTime();
            }
            UnitTask task = new UnitTask(new Unit(1, i % 3, 1 + i / 3), Phase.TRAIN, TABLE, model, state, i);
            state = engine.submit(task).join().state();
        }
        return (System.nanoTime() - start) / 1e6 / units;
    }
}
