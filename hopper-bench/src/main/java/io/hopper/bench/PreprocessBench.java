package io.hopper.bench;

import io.hopper.data.PackedSummary;
import io.hopper.data.PackedTables;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.store.FileStore;
import io.hopper.store.PostgresStore;
import io.hopper.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Measures {@link TrainingPreprocessor}: rows per second and peak heap for the full Fashion-MNIST training set
 * (60,000 28x28 images from Debian's dataset-fashion-mnist) and UCI adult's numeric columns, into a FileStore and,
 * when {@code --pg URL} is given, into a PostgreSQL store. The baseline is reading the same source files
 * (gunzip or plain read) with no parsing or packing. {@code scripts/bench-preprocess.sh} runs every case and store
 * in its own JVM.
 *
 * <p>Usage: {@code PreprocessBench [--fashion DIR] [--adult CSV] [--pg JDBC_URL] [--case NAME] [--store file|postgres]
 * [--runs N] [--dir TMP]}; {@code --case} (fashion-mnist-train or adult-numeric) and {@code --store} pick one case or
 * one store. Peak heap is the largest heap use a sampling thread saw (every 5 ms) during a run, after a full GC
 * before it; the last line gives the process's peak resident memory (VmHWM: JVM, heap, native buffers, driver).
 */
public final class PreprocessBench {
    private static final String ADULT_X = "age,fnlwgt,education-num,capital-gain,capital-loss,hours-per-week";

    private PreprocessBench() {
    }

    /** One measured case. */
    private record Case(String name, SourceSpec source, String y, String x, double normalizingConst, List<Path> files) {
    }

    /**
     * Runs the benchmark and prints one line per case and store.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        Path adult = Path.of("../shared/data/adult/adult.data.csv");
        String pg = null;
        String only = null;
        String storeKind = null;
        int runs = 3;
        Path tmp = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--fashion" -> fashion = Path.of(args[i + 1]);
                case "--adult" -> adult = Path.of(args[i + 1]);
                case "--pg" -> pg = args[i + 1];
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--dir" -> tmp = Path.of(args[i + 1]);
                case "--case" -> only = args[i + 1];
                case "--store" -> storeKind = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --fashion DIR, --adult CSV, --pg JDBC_URL, --case NAME, --store file|postgres, --runs N, --dir TMP");
            }
        }
        if (storeKind != null && !storeKind.equals("file") && !(storeKind.equals("postgres") && pg != null)) {
            throw new IllegalArgumentException("--store " + storeKind + ": use file, or postgres together with --pg JDBC_URL");
        }
        boolean ownTmp = tmp == null;
        if (ownTmp) {
            tmp = Files.createTempDirectory("hopper-bench-");
        }
        Path images = fashion.resolve("train-images-idx3-ubyte.gz");
        Path labels = fashion.resolve("train-labels-idx1-ubyte.gz");
        String chosen = only;
        List<Case> cases = Stream.of(
                new Case("fashion-mnist-train", new SourceSpec.Idx(images, labels), "label", "image", 255, List.of(images, labels)),
                new Case("adult-numeric", new SourceSpec.Csv(adult), "Salary", ADULT_X, 1, List.of(adult)))
                .filter(c -> chosen == null || c.name().equals(chosen)).toList();
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("--case " + only + ": use fashion-mnist-train or adult-numeric");
        }
        int partitions = Runtime.getRuntime().availableProcessors();
        System.out.printf("PreprocessBench: java %s, max heap %d MiB, %d partitions, %d runs (median shown)%n",
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, partitions, runs);
        List<Store> stores = new ArrayList<>();
        if (storeKind == null || storeKind.equals("file")) {
            stores.add(new FileStore(tmp.resolve("store")));
        }
        if (pg != null && (storeKind == null || storeKind.equals("postgres"))) {
            stores.add(new PostgresStore(pg));
        }
        for (Case c : cases) {
            double baseline = median(runs + 1, () -> {
                long t = System.nanoTime();
                for (Path f : c.files()) {
                    readAll(f);
                }
                return (System.nanoTime() - t) / 1e9;
            });
            for (Store store : stores) {
                List<Double> seconds = new ArrayList<>();
                List<Long> peaks = new ArrayList<>();
                PackedSummary summary = null;
                for (int r = 0; r <= runs; r++) {
                    String table = "bench_data_" + c.name().replace('-', '_');
                    drop(store, table);
                    System.gc();
                    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                    AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
                    Thread sampler = new Thread(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                            try {
                                Thread.sleep(5);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    sampler.setDaemon(true);
                    sampler.start();
                    long t = System.nanoTime();
                    summary = new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(c.source())
                            .setOutputTable(table).setDependentVarname(c.y()).setIndependentVarname(c.x())
                            .optNormalizingConst(c.normalizingConst()).optPartitions(partitions).optSeed(r).build());
                    double s = (System.nanoTime() - t) / 1e9;
                    sampler.interrupt();
                    sampler.join();
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    if (r > 0) {
                        seconds.add(s);
                        peaks.add(peak.get());
                    }
                    drop(store, table);
                }
                double median = median(seconds);
                System.out.printf("%-20s %-10s rows %7d  buffer %6d x %-12s %7.3f s  %9.0f rows/s  peak heap %5d MiB  "
                                + "(baseline read %.1f ms, ratio %.1fx)%n",
                        c.name(), store instanceof FileStore ? "file" : "postgres", summary.totalRows(), summary.bufferSize(),
                        summary.sampleShape(), median, summary.totalRows() / median, Collections.max(peaks) >> 20, baseline * 1e3,
                        median / baseline);
            }
        }
        for (Store s : stores) {
            s.close();
        }
        System.out.printf("process peak RSS %d MiB (VmHWM, whole run)%n", peakRssKib() >> 10);
        if (ownTmp) {
            try (var paths = Files.walk(tmp)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A measurement to repeat. */
    private interface Timed {
        double seconds();
    }

    private static double median(int times, Timed timed) {
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            double s = timed.seconds();
            if (i > 0) {
                all.add(s);
            }
        }
        return median(all);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void drop(Store store, String table) {
        for (String t : List.of(table, PackedTables.summaryTable(table))) {
            if (store.exists(t)) {
                store.drop(t);
            }
        }
    }

    /** The process's peak resident set size in KiB from /proc/self/status, or -1 where there is none. */
    private static long peakRssKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void readAll(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // only the bytes pass through
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
