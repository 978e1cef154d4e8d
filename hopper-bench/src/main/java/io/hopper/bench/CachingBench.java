package io.hopper.bench;

import io.hopper.fit.FitSpec;
import io.hopper.api.Hopper;
import io.hopper.api.LoadKerasModelSpec;
import io.hopper.api.ModelSelectionSpec;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.fit.ProgressListener;
import io.hopper.store.PostgresStore;
import io.hopper.store.Row;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Prints the wall time per iteration of fit-multiple-model with and without {@code --use-caching}, and their ratio,
 * for the iris MLP and the Fashion-MNIST CNN, on a directory store, on the PostgreSQL store with its connection pool
 * and on the PostgreSQL store with a connection per operation (pool size 0, the store before the pool).
 *
 * <p>Arguments: {@code PG_URL FASHION_DIR IMAGES REPEATS}, run from the project root (it reads {@code examples/});
 * FASHION_DIR holds Debian's dataset-fashion-mnist files, of which the first IMAGES training images are used. Each
 * case packs its data into 2 partitions and trains four configurations (Adam lr 0.01 and 0.001 x batch 16 and 32)
 * on 2 workers with the rotation schedule. After one warm-up fit, the runs alternate (per store, cached and uncached,
 * in turn first; each repeat starting with the next store) REPEATS times and the best of each is reported, so every
 * ratio compares runs of the same process under the same load. Time per iteration = the span of each iteration's
 * train units in O_schedule, averaged over the iterations after the first (the first pays the cache fill). The
 * system load average (1 minute) is printed before and after each case.
 */
public final class CachingBench {
    private static final int PARTITIONS = 2;
    private static final int WORKERS = 2;
    private static final int IDX_IMAGES_MAGIC = 0x803;
    private static final int IDX_LABELS_MAGIC = 0x801;

    /** One model and data set to time: a preprocess-training source, its columns and an architecture. */
    private record Case(String name, String source, String y, String x, Path arch, double normalizingConst, int iterations) {
    }

    /** One store to time, with the name printed for it. */
    private record Target(String name, Hopper hopper) {
    }

    private CachingBench() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CachingBench PG_URL FASHION_DIR IMAGES REPEATS");
            System.exit(2);
        }
        String pg = args[0];
        Path fashion = Path.of(args[1]);
        int images = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        Path tmp = Files.createTempDirectory("hopper-caching-bench");
        Path sliceImages = tmp.resolve("train-images-idx3-ubyte.gz");
        Path sliceLabels = tmp.resolve("train-labels-idx1-ubyte.gz");
        idxSlice(fashion.resolve("train-images-idx3-ubyte.gz"), sliceImages, IDX_IMAGES_MAGIC, images);
        idxSlice(fashion.resolve("train-labels-idx1-ubyte.gz"), sliceLabels, IDX_LABELS_MAGIC, images);
        List<Case> cases = List.of(
                new Case("iris MLP (150 rows)", "csv:examples/iris.csv", "species",
                        "sepal_length,sepal_width,petal_length,petal_width", Path.of("examples/iris_mlp.json"), 1, 10),
                new Case("Fashion-MNIST CNN (first " + images + " training images)", "idx:" + sliceImages + "," + sliceLabels,
                        "label", "image", Path.of("examples/fashion_cnn.json"), 255, 3));
        try (Hopper files = Hopper.open(tmp.resolve("store").toString());
             Hopper pooled = Hopper.on(new PostgresStore(pg));
             Hopper unpooled = Hopper.on(new PostgresStore(pg, 0))) {
            List<Target> targets = List.of(new Target("directory", files),
                    new Target("PostgreSQL, pool of " + PostgresStore.DEFAULT_POOL_SIZE, pooled),
                    new Target("PostgreSQL, no pool (before)", unpooled));
            System.out.printf("%d cores; %d partitions, %d workers, 4 configurations, rotation schedule, best of %d%n",
                    Runtime.getRuntime().availableProcessors(), PARTITIONS, WORKERS, repeats);
            String suffix = Long.toString(System.nanoTime() % 100000);
            for (Case c : cases) {
                run(c, targets, suffix, repeats);
            }
        }
    }

    /** Times one case on every store; the two PostgreSQL stores share the tables packed into the database. */
    private static void run(Case c, List<Target> targets, String suffix, int repeats) throws IOException {
        double loadBefore = load();
        String data = "bench_data_" + suffix;
        String arch = "bench_arch_" + suffix;
        String mst = "bench_mst_" + suffix;
        for (Hopper h : List.of(targets.get(0).hopper(), targets.get(1).hopper())) {
            h.preprocessTraining(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse(c.source())).setOutputTable(data)
                    .setDependentVarname(c.y()).setIndependentVarname(c.x()).optNormalizingConst(c.normalizingConst())
                    .optPartitions(PARTITIONS).optSeed(1).build());
            int id = h.loadKerasModel(LoadKerasModelSpec.builder().setModelArchTable(arch).setModelArch(c.arch()).build());
            h.loadModelSelectionTable(new ModelSelectionSpec(arch, mst, List.of(id),
                    List.of("loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                            "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']"),
                    List.of("batch_size=16, epochs=1", "batch_size=32, epochs=1")));
        }
        double[][] best = new double[targets.size()][2];
        for (double[] b : best) {
            Arrays.fill(b, Double.MAX_VALUE);
        }
        fit(targets.get(0).hopper(), c, data, mst, "bench_warmup_" + suffix, true); // warms up the JIT and PyTorch
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < targets.size(); i++) {
                int t = (i + r) % targets.size(); // each repeat starts with another store
                for (int k = 0; k < 2; k++) {
                    int cached = (k + r) % 2; // cached first in even repeats, uncached first in odd ones
                    best[t][cached] = Math.min(best[t][cached], fit(targets.get(t).hopper(), c, data, mst,
                            "bench_out_" + suffix + "_" + t + "_" + cached, cached == 0));
                }
            }
        }
        System.out.printf("%n%s, %d iterations; load average %.1f before, %.1f after%n", c.name(), c.iterations(), loadBefore, load());
        System.out.printf("%-30s %14s %14s %16s%n", "store", "cached s/it", "uncached s/it", "uncached/cached");
        for (int t = 0; t < targets.size(); t++) {
            System.out.printf("%-30s %14.4f %14.4f %16.2f%n", targets.get(t).name(), best[t][0], best[t][1], best[t][1] / best[t][0]);
        }
        System.out.printf("PostgreSQL uncached, no pool / pool: %.2f%n", best[2][1] / best[1][1]);
        for (Hopper h : List.of(targets.get(0).hopper(), targets.get(1).hopper())) {
            for (String table : List.of(data, mst, arch)) {
                h.dropTable(table);
            }
        }
    }

    /** Fits the case's configurations into a fresh output table and returns the seconds per iteration. */
    private static double fit(Hopper h, Case c, String data, String mst, String out, boolean cached) {
        h.fitMultipleModel(FitSpec.builder().setSourceTable(data).setModelOutputTable(out).setModelSelectionTable(mst)
                .setNumIterations(c.iterations()).optUseCaching(cached).optWorkers(WORKERS)
                .optSchedule(FitSpec.Schedule.ROTATION).optSeed(1).build(), ProgressListener.NONE);
        double seconds = secondsPerIteration(h, out, c.iterations());
        h.dropTable(out);
        return seconds;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Writes the first {@code count} items of a gzipped IDX file (images or labels) as a gzipped IDX file. */
    private static void idxSlice(Path from, Path to, int magic, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(from)));
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(to)))) {
            if (in.readInt() != magic) {
                throw new IllegalArgumentException("IDX file '" + from + "' does not start with magic " + magic
                        + "; give Fashion-MNIST's train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz");
            }
            int total = in.readInt();
            if (count < 1 || count > total) {
                throw new IllegalArgumentException("IMAGES " + count + " is outside 1.." + total + " for '" + from
                        + "'; give at most the number of training images");
            }
            out.writeInt(magic);
            out.writeInt(count);
            int itemBytes = 1;
            for (int d = 0; d < (magic & 0xff) - 1; d++) {
                int size = in.readInt();
                out.writeInt(size);
                itemBytes *= size;
            }
            copy(in, out, (long) itemBytes * count);
        }
    }

    private static void copy(InputStream in, OutputStream out, long bytes) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("IDX file ends " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static double secondsPerIteration(Hopper hopper, String out, int iterations) {
        double[] start = new double[iterations + 1];
        double[] end = new double[iterations + 1];
        Arrays.fill(start, Double.MAX_VALUE);
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
