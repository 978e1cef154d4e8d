package io.hopper.fit;

import io.hopper.api.FitResult;
import io.hopper.api.FitSpec;
import io.hopper.api.FitSpec.Schedule;
import io.hopper.data.PackedBuffer;
import io.hopper.data.PackedTables;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.Configurations;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitMultipleModelTest {
    /** Parameters of MADlib's iris MLP: 4*10+10 + 10*10+10 + 10*3+3. */
    private static final int MLP_PARAMS = 193;

    @TempDir
    Path dir;

    static Stream<Arguments> engineSettings() {
        return Stream.of(Arguments.of(false, Schedule.ASYNC), Arguments.of(true, Schedule.ASYNC),
                Arguments.of(false, Schedule.ROTATION), Arguments.of(true, Schedule.ROTATION));
    }

    private FitFixture irisWithArch() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        return f;
    }

    private FitResult fit(FitFixture f, FitSpec spec) {
        return new FitMultipleModel(f.store, spec, ProgressListener.NONE).run();
    }

    /** Checks the tables of a finished fit: row counts, array lengths, metrics_iters and the schedule invariants. */
    private void checkOutputs(FitFixture f, String out, int configs, int iterations, List<Integer> metricsIters, boolean validation,
                              int classes) {
        int weightsBytes = 4 * (MLP_PARAMS + (classes - 3) * 11);
        List<Row> model = f.store.readAll(out);
        assertEquals(configs, model.size());
        for (Row r : model) {
            assertEquals(weightsBytes, ((byte[]) r.get(1)).length);
        }
        List<Row> info = f.store.readAll(OutputTables.info(out));
        assertEquals(configs, info.size());
        Schema is = OutputTables.INFO;
        for (Row r : info) {
            assertEquals("ok", r.get(is.indexOf("status")));
            assertEquals(OutputTables.MODEL_TYPE, r.get(is.indexOf("model_type")));
            assertEquals(weightsBytes / 1024.0, (Double) r.get(is.indexOf("model_size")));
            assertEquals(List.of("accuracy"), r.get(is.indexOf("metrics_type")));
            assertEquals("categorical_crossentropy", r.get(is.indexOf("loss_type")));
            for (String c : List.of("metrics_elapsed_time", "training_loss", "training_metrics")) {
                assertEquals(metricsIters.size(), ((List<?>) r.get(is.indexOf(c))).size(), c);
            }
            for (String c : List.of("validation_loss", "validation_metrics")) {
                Object v = r.get(is.indexOf(c));
                if (validation) {
                    assertEquals(metricsIters.size(), ((List<?>) v).size(), c);
                } else {
                    assertNull(v, c);
                }
            }
            double loss = (Double) r.get(is.indexOf("training_loss_final"));
            assertTrue(Double.isFinite(loss) && loss > 0, "training loss " + loss);
            double accuracy = (Double) r.get(is.indexOf("training_metrics_final"));
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        }
        Row summary = f.store.readAll(OutputTables.summary(out)).get(0);
        Schema ss = OutputTables.SUMMARY;
        assertEquals(metricsIters, summary.get(ss.indexOf("metrics_iters")));
        assertEquals(iterations, summary.get(ss.indexOf("num_iterations")));
        assertEquals(classes, summary.get(ss.indexOf("num_classes")));
        List<ExecutedUnit> train = f.schedule(out, "train");
        assertEquals(configs * 3 * iterations, train.size());
        Configurations keys = new Configurations(model.stream().map(r -> (Integer) r.get(0)).toList());
        ScheduleInvariants.check(train, keys, 3);
        assertEquals(configs * 3 * metricsIters.size() * (validation ? 2 : 1), f.schedule(out, "eval").size());
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void threeAdamConfigurationsSixIterationsWithValidation(boolean caching, Schedule schedule) {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001", "0.0001"), List.of("batch_size=50, epochs=1"));
        FitResult result = fit(f, FitFixture.spec("iris", "out", "mst", 6).optValidationTable("iris_v").optMetricsComputeFrequency(2)
                .optUseCaching(caching).optSchedule(schedule).build());
        assertEquals(List.of(2, 4, 6), result.metricsIters());
        checkOutputs(f, "out", 3, 6, List.of(2, 4, 6), true, 3);
        // lr 0.001 is mst_key 2: its training and validation losses fall.
        Map<Integer, Object> training = f.byKey("out_info", "training_loss");
        Map<Integer, Object> validation = f.byKey("out_info", "validation_loss");
        for (Map<Integer, Object> losses : List.of(training, validation)) {
            @SuppressWarnings("unchecked")
            List<Double> l = (List<Double>) losses.get(2);
            assertTrue(l.get(2) < l.get(0), "loss with lr 0.001 should fall: " + l);
        }
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void oneConfigurationMetricsEveryIteration(boolean caching, Schedule schedule) {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris", "out", "mst", 3).optMetricsComputeFrequency(1).optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 1, 3, List.of(1, 2, 3), false, 3);
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void fourConfigurationsMoreThanPartitions(boolean caching, Schedule schedule) {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1", "batch_size=32, epochs=1"));
        fit(f, FitFixture.spec("iris", "out", "mst", 3).optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 4, 3, List.of(3), false, 3);
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void oneHotLabels(boolean caching, Schedule schedule) throws IOException {
        FitFixture f = new FitFixture(dir).irisOneHot("iris_oh");
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris_oh", "out", "mst", 2).optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 2, 2, List.of(2), false, 3);
        assertNull(f.store.readAll("out_summary").get(0).get(OutputTables.SUMMARY.indexOf("class_values")));
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void aClassValueWithNoSamples(boolean caching, Schedule schedule) {
        FitFixture f = new FitFixture(dir).iris("iris4", 4);
        f.arch("arch", 4);
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris4", "out", "mst", 2).optValidationTable("iris4_v").optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 1, 2, List.of(2), true, 4);
    }
}
