package io.hopper.bench;

import io.hopper.fit.FitSpec;
import io.hopper.api.Hopper;
import io.hopper.api.LoadKerasModelSpec;
import io.hopper.api.ModelSelectionSpec;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.fit.OutputTables;
import io.hopper.fit.ProgressListener;
import io.hopper.store.Row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Prints the schedule efficiency of real fits, computed from O_schedule: per iteration, the makespan of its train
 * units divided by the lower bound max(sum of the configurations' epoch times / workers, the longest epoch time),
 * where a configuration's epoch time is the sum of its units' durations in that iteration. Eight equal
 * configurations (4 epochs per unit) and eight unequal ones (1 to 8 epochs per unit), async against rotation.
 *
 * <p>Arguments: {@code SRC Y X ARCH.json PARTITIONS WORKERS ITERATIONS}; e.g.
 * {@code csv:iris.csv species sepal_length,sepal_width,petal_length,petal_width mlp.json 4 4 3}.
 */
public final class FitScheduleEfficiencyBench {
    private FitScheduleEfficiencyBench() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: FitScheduleEfficiencyBench SRC Y X ARCH.json PARTITIONS WORKERS ITERATIONS");
            System.exit(2);
        }
        int partitions = Integer.parseInt(args[4]);
        int workers = Integer.parseInt(args[5]);
        int iterations = Integer.parseInt(args[6]);
        try (Hopper hopper = Hopper.open(Files.createTempDirectory("hopper-bench").toString())) {
            hopper.preprocessTraining(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse(args[0])).setOutputTable("data")
                    .setDependentVarname(args[1]).setIndependentVarname(args[2]).optPartitions(partitions).optSeed(1).build());
            int id = hopper.loadKerasModel(LoadKerasModelSpec.builder().setModelArchTable("arch").setModelArch(Path.of(args[3])).build());
            List<String> lrs = List.of("0.001", "0.002", "0.003", "0.004", "0.005", "0.006", "0.007", "0.008");
            hopper.loadModelSelectionTable(new ModelSelectionSpec("arch", "equal", List.of(id), lrs.stream()
                    .map(lr -> "loss='categorical_crossentropy', optimizer='Adam(lr=" + lr + ")', metrics=['accuracy']").toList(),
                    List.of("batch_size=16, epochs=4")));
            hopper.loadModelSelectionTable(new ModelSelectionSpec("arch", "unequal", List.of(id),
                    List.of("loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']"),
                    IntStream.rangeClosed(1, 8).mapToObj(e -> "batch_size=16, epochs=" + e).toList()));
            System.out.printf("%d partitions, %d workers, %d iterations; makespan / lower bound per iteration, mean (worst)%n",
                    partitions, workers, iterations);
            for (String mst : List.of("equal", "unequal")) {
                StringBuilder line = new StringBuilder(String.format("%-8s", mst));
                for (FitSpec.Schedule schedule : FitSpec.Schedule.values()) {
                    String out = mst + "_" + schedule.label();
                    hopper.fitMultipleModel(FitSpec.builder().setSourceTable("data").setModelOutputTable(out).setModelSelectionTable(mst)
                            .setNumIterations(iterations).optWorkers(workers).optSchedule(schedule).optUseCaching(true).build(),
                            ProgressListener.NONE);
                    double[] ratios = ratios(hopper.store().readAll(OutputTables.schedule(out)), workers, iterations);
                    line.append(String.format("  %s %.3f (%.3f)", schedule.label(), mean(ratios), max(ratios)));
                }
                System.out.println(line);
            }
        }
    }

    private static double[] ratios(List<Row> schedule, int workers, int iterations) {
        double[] ratios = new double[iterations];
        for (int it = 1; it <= iterations; it++) {
            double start = Double.MAX_VALUE;
            double end = 0;
            Map<Integer, Double> epoch = new HashMap<>();
            for (Row r : schedule) {
                if ("train".equals(r.get(4)) && (Integer) r.get(1) == it) {
                    double s = (Double) r.get(5);
                    double e = (Double) r.get(6);
                    start = Math.min(start, s);
                    end = Math.max(end, e);
                    epoch.merge((Integer) r.get(0), e - s, Double::sum);
                }
            }
            List<Double> times = new ArrayList<>(epoch.values());
            double sum = times.stream().mapToDouble(Double::doubleValue).sum();
            double longest = times.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            ratios[it - 1] = (end - start) / Math.max(sum / workers, longest);
        }
        return ratios;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
