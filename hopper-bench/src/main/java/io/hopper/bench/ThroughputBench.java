package io.hopper.bench;

import com.sun.management.OperatingSystemMXBean;
import io.hopper.data.PackedBuffer;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.Loss;
import io.hopper.model.params.OptimizerSpec;
import io.hopper.model.runtime.OneDnn;
import io.hopper.model.runtime.TrainableModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Training throughput of the runtime on one thread: samples per second of three Keras networks built from Keras JSON
 * by {@link KerasNetwork} (resources keras/iris_mlp.json: the iris MLP 4-10-10-3; keras/mlp_784.json: 784-256-128-10;
 * keras/cnn.json: Conv32-Pool-Conv64-Pool-Dense128-Dense10 on 28x28x1) trained with Adam and categorical
 * cross-entropy on random data in batches of 32, plus the time to export and import the CNN's whole state, and the
 * CNN's throughput with PyTorch's oneDNN on and off ({@link OneDnn}; {@code cnn_onednn_off_over_on_per_cpu_s} is the
 * speed kept where Hopper turns it off).
 *
 * <p>Each network first trains for a few seconds untimed (the JIT compiles the per-step Java code), then for
 * {@value #ROUNDS} timed rounds of at least {@value #ROUND_SECONDS} seconds each; the figure is the best round, counted
 * two ways: samples per wall-clock second ({@code _samples_per_s}) and samples per second of CPU time used by the whole
 * process ({@code _samples_per_cpu_s}, which counts the JIT and garbage-collector threads too). The second is the fair
 * comparison on a loaded machine, where the wall clock mostly measures the scheduler. Prints one
 * {@code RESULT <key> <value>} line per figure; scripts/pytorch_throughput.py prints the same keys for plain PyTorch and
 * scripts/bench-throughput.sh runs both and prints the ratios. Run with {@code -Dai.djl.offline=true
 * -Dai.djl.pytorch.num_threads=1} and the malloc variables of the launcher.
 */
public final class ThroughputBench {
    private static final int BATCH = 32;
    private static final double WARMUP_SECONDS = 5.0;
    private static final int ROUNDS = 3;
    private static final double ROUND_SECONDS = 2.0;
    private static final int STATE_REPEATS = 20;

    private ThroughputBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        throughput("iris_mlp", List.of(4), 3, 4096);
        throughput("mlp_784", List.of(784), 10, 2048);
        throughput("cnn", List.of(28, 28, 1), 10, 512);
        stateTimes();
        oneDnnCost();
    }

    /**
     * The CNN's throughput with PyTorch's oneDNN on and off in this JVM ({@link OneDnn}: off on CPUs that report no
     * cache sizes), alternating twice, and the ratio off / on of the best samples per CPU second.
     */
    private static void oneDnnCost() {
        boolean configured = OneDnn.enabled();
        try {
            double on = 0;
            double off = 0;
            for (int repeat = 0; repeat < 2; repeat++) {
                OneDnn.setEnabled(true);
                on = Math.max(on, throughput("cnn_onednn_on", "cnn", List.of(28, 28, 1), 10, 512));
                OneDnn.setEnabled(false);
                off = Math.max(off, throughput("cnn_onednn_off", "cnn", List.of(28, 28, 1), 10, 512));
            }
            System.out.printf("RESULT cnn_onednn_off_over_on_per_cpu_s %.3f%n", off / on);
        } finally {
            OneDnn.setEnabled(configured);
        }
    }

    /** A fresh network of the benchmark model with this name (resource keras/NAME.json). */
    private static KerasNetwork network(String name) {
        try (InputStream in = ThroughputBench.class.getResourceAsStream("/keras/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("bench: resource keras/" + name + ".json is missing from the classpath; rebuild hopper-bench");
            }
            return new KerasNetwork(KerasArchitecture.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompileParams compile() {
        return new CompileParams(new OptimizerSpec.Adam(0.001, 0.9, 0.999, 1e-7, false, 0), Loss.CATEGORICAL_CROSSENTROPY,
                List.of(), List.of(), List.of(), Optional.empty());
    }

    private static FitParams fit() {
        return new FitParams(BATCH, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.empty());
    }

    /** One buffer of random features in [0, 1) and random one-hot labels. */
    private static PackedBuffer randomBuffer(List<Integer> sampleShape, int classes, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int width = sampleShape.stream().reduce(1, (a, b) -> a * b);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        short[] y = new short[rows * classes];
        for (int r = 0; r < rows; r++) {
            y[r * classes + random.nextInt(classes)] = 1;
        }
        List<Integer> xShape = new ArrayList<>();
        xShape.add(rows);
        xShape.addAll(sampleShape);
        return new PackedBuffer(0, x, xShape, y, List.of(rows, classes));
    }

    private static void throughput(String name, List<Integer> sampleShape, int classes, int rows) {
        throughput(name, name, sampleShape, classes, rows);
    }

    /** Prints the figures of network {@code name} under the key {@code label}; returns its samples per CPU second. */
    private static double throughput(String label, String name, List<Integer> sampleShape, int classes, int rows) {
        List<PackedBuffer> data = List.of(randomBuffer(sampleShape, classes, rows, 42));
        try (TrainableModel model = new TrainableModel(network(name), compile(), 1)) {
            long unit = 0;
            long warmup = System.nanoTime();
            while (System.nanoTime() - warmup < WARMUP_SECONDS * 1e9) {
                model.trainPass(data, fit(), unit++);
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double bestWall = 0;
            double bestCpu = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long samples = 0;
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                while (System.nanoTime() - start < ROUND_SECONDS * 1e9) {
                    samples += model.trainPass(data, fit(), unit++).samples();
                }
                bestWall = Math.max(bestWall, samples / ((System.nanoTime() - start) / 1e9));
                bestCpu = Math.max(bestCpu, samples / ((os.getProcessCpuTime() - cpu) / 1e9));
            }
            System.out.printf("RESULT train_%s_samples_per_s %.1f%n", label, bestWall);
            System.out.printf("RESULT train_%s_samples_per_cpu_s %.1f%n", label, bestCpu);
            return bestCpu;
        }
    }

    private static void stateTimes() {
        List<PackedBuffer> data = List.of(randomBuffer(List.of(28, 28, 1), 10, 64, 42));
        try (TrainableModel model = new TrainableModel(network("cnn"), compile(), 1);
             TrainableModel target = new TrainableModel(network("cnn"), compile(), 2)) {
            model.trainPass(data, fit(), 0);
            byte[] state = model.exportState();
            target.importState(state);
            long start = System.nanoTime();
            for (int i = 0; i < STATE_REPEATS; i++) {
                state = model.exportState();
            }
            double exportMs = (System.nanoTime() - start) / 1e6 / STATE_REPEATS;
            start = System.nanoTime();
            for (int i = 0; i < STATE_REPEATS; i++) {
                target.importState(state);
            }
            double importMs = (System.nanoTime() - start) / 1e6 / STATE_REPEATS;
            System.out.printf("RESULT cnn_state_bytes %d%n", state.length);
            System.out.printf("RESULT cnn_state_export_ms %.2f%n", exportMs);
            System.out.printf("RESULT cnn_state_import_ms %.2f%n", importMs);
        }
    }
}
