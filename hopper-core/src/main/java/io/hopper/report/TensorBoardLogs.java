package io.hopper.report;

import io.hopper.model.params.FitParams;
import io.hopper.model.params.ParamParser;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes TensorBoard logs for the configurations whose fit_params carry {@code callbacks=[TensorBoard(log_dir='D')]}:
 * one run directory per mst key, {@code D/mst_key_K}, with Keras's layout: {@code train/} and {@code validation/}
 * event files whose scalars {@code epoch_loss} and {@code epoch_<metric>} are the metrics at each metrics iteration
 * (the step is the iteration).
 */
public final class TensorBoardLogs {
    private TensorBoardLogs() {
    }

    /**
     * Writes the logs of every configuration of {@code fit} that asked for them.
     *
     * @return the run directories written, one per such configuration
     */
    public static List<Path> write(FitRecord fit) {
        List<Path> runs = new ArrayList<>();
        double start = Instant.parse(fit.startTime()).toEpochMilli() / 1000.0;
        for (FitRecord.Config c : fit.configs()) {
            Optional<String> dir = logDir(c);
            if (dir.isEmpty()) {
                continue;
            }
            Path run = Path.of(dir.get()).resolve("mst_key_" + c.mstKey());
            String metric = c.metricType() == null ? null : "epoch_" + c.metricType();
            writeEvents(run.resolve("train"), fit, c, start, c.trainingLoss(), metric, c.trainingMetric());
            if (!c.validationLoss().isEmpty()) {
                writeEvents(run.resolve("validation"), fit, c, start, c.validationLoss(), metric, c.validationMetric());
            }
            runs.add(run);
        }
        return runs;
    }

    /** The TensorBoard log_dir of a configuration's fit_params, if any. */
    static Optional<String> logDir(FitRecord.Config c) {
        FitParams fit = ParamParser.parseFit(c.fitParams());
        return fit.tensorBoardLogDir();
    }

    private static void writeEvents(Path dir, FitRecord fit, FitRecord.Config c, double start, List<Double> loss, String metric,
                                    List<Double> metrics) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(String.format(Locale.ROOT, "events.out.tfevents.%d.hopper.%s.v2", (long) start, fit.modelTable()));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                TensorBoardEvents events = new TensorBoardEvents(out, start);
                for (int i = 0; i < loss.size(); i++) {
                    int step = fit.metricsIters().get(i);
                    double wall = start + (i < c.elapsedSeconds().size() ? c.elapsedSeconds().get(i) : 0);
                    events.scalar("epoch_loss", step, wall, loss.get(i).floatValue());
                    if (metric != null && i < metrics.size()) {
                        events.scalar(metric, step, wall, metrics.get(i).floatValue());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot write '" + dir + "': " + e.getMessage(), e);
        }
    }
}
