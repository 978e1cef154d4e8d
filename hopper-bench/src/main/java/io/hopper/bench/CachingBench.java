package io.hopper.bench;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.api.Hopper;
import io.hopper.api.LoadKerasModelSpec;
import io.hopper.api.ModelSelectionSpec;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.fit.ProgressListener;
import io.hopper.store.Row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints the wall time per iteration of fit-multiple-model with and without {@code --use-caching}, and their ratio,
 * for a source packed into a store (a fresh directory, or a PostgreSQL URL).
 *
 * <p>Arguments: {@code SRC Y X ARCH.json PARTITIONS ITERATIONS [NORMALIZING_CONST [STORE]]} with SRC as
 * preprocess-training takes it; e.g. iris: {@code csv:iris.csv species sepal_length,sepal_width,petal_length,petal_width mlp.json 3 10}; MNIST:
 * {@code idx:t10k-images-idx3-ubyte.gz,t10k-labels-idx1-ubyte.gz label image mlp.json 3 3 255}. Four configurations
 * (Adam lr 0.01 and 0.001 x batch 16 and 32) train with the rotation schedule; the runs alternate (cached,
 * uncached) three times and the best of each is reported. Time per iteration = the span of each iteration's train
 * units in O_schedule, averaged over the iterations after the first (the first pays the cache fill).
 */
public final class CachingBench {
    private static final int REPEATS = 3;

    private CachingBench() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: CachingBench SRC Y X ARCH.json PARTITIONS ITERATIONS [NORMALIZING_CONST [STORE]]");
            System.exit(2);
        }
        int partitions = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        double normalizingConst = args.length > 6 ? Double.parseDouble(args[6]) : 1;
        String location = args.length > 7 ? args[7] : Files.createTempDirectory("hopper-bench").toString();
        try (Hopper hopper = Hopper.open(location)) {
            String suffix = Long.toString(System.nanoTime() % 100000);
            String data = "bench_data_" + suffix;
            new TrainingPreprocessor(hopper.store()).preprocess(TrainingPreprocessSpec.builder()
                    .setSource(SourceSpec.parse(args[0])).setOutputTable(data).setDependentVarname(args[1])
                    .setIndependentVarname(args[2]).optNormalizingConst(normalizingConst).optPartitions(partitions).optSeed(1).build());
            String arch = "bench_arch_" + suffix;
            int id = hopper.loadKerasModel(LoadKerasModelSpec.builder().setModelArchTable(arch).setModelArch(Path.of(args[3])).build());
            String mst = "bench_mst_" + suffix;
            hopper.loadModelSelectionTable(new ModelSelectionSpec(arch, mst, List.of(id),
                    List.of("loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                            "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']"),
                    List.of("batch_size=16, epochs=1", "batch_size=32, epochs=1")));
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = 0; r < REPEATS; r++) {
                for (int c = 0; c < 2; c++) {
                    String out = "bench_out_" + suffix + "_" + r + "_" + c;
                    FitResult result = hopper.fitMultipleModel(FitSpec.builder().setSourceTable(data).setModelOutputTable(out)
                            .setModelSelectionTable(mst).setNumIterations(iterations).optUseCaching(c == 0)
                            .optSchedule(FitSpec.Schedule.ROTATION).build(), ProgressListener.NONE);
                    best[c] = Math.min(best[c], secondsPerIteration(hopper, out, iterations));
                    if (r == 0 && c == 0) {
                        System.out.printf("store %s, %d partitions, %d workers, 4 configurations, %d iterations%n",
                                hopper.store().describe(), partitions, result.workers(), iterations);
                    }
                    hopper.dropTable(out);
                }
            }
            System.out.printf("seconds per iteration: cached %.4f, uncached %.4f, uncached/cached %.2f%n",
                    best[0], best[1], best[1] / best[0]);
            for (String t : List.of(data, mst, arch)) {
                hopper.dropTable(t);
            }
        }
    }

    private static double secondsPerIteration(Hopper hopper, String out, int iterations) {
        double[] start = new double[iterations + 1];
        double[] end = new double[iterations + 1];
        java.util.Arrays.fill(start, Double.MAX_VALUE);
        for (Row r : hopper.store().readAll(out + "_schedule")) {
            if ("train".equals(r.get(4))) {
                int it = (Integer) r.get(1);
                start[it] = Math.min(start[it], (Double) r.get(5));
                end[it] = Math.max(end[it], (Double) r.get(6));
            }
        }
        int from = iterations > 1 ? 2 : 1;
        double total = 0;
        for (int it = from; it <= iterations; it++) {
            total += end[it] - start[it];
        }
        return total / 1000 / (iterations - from + 1);
    }
}
