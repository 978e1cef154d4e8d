package io.hopper.fit;

import io.hopper.fit.FitSpec;
import io.hopper.model.ModelSelectionTable;
import io.hopper.store.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitReplayTest {
    @TempDir
    Path dir;

    private FitFixture fitted(FitSpec.Schedule schedule) {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.01", "0.003", "0.001"), List.of("batch_size=16, epochs=1"));
        new FitMultipleModel(f.store, FitFixture.spec("iris", "done", "mst", 3).optValidationTable("iris_v").optSchedule(schedule)
                .optMetricsComputeFrequency(2).build(), ProgressListener.NONE).run();
        return f;
    }

    private static void assertSameModels(FitFixture f, String a, String b) {
        List<Row> x = f.store.readAll(a);
        List<Row> y = f.store.readAll(b);
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.get(i).get(0), y.get(i).get(0));
            assertTrue(Arrays.equals((byte[]) x.get(i).get(1), (byte[]) y.get(i).get(1)), "model_weights of mst " + x.get(i).get(0));
            assertTrue(Arrays.equals((byte[]) x.get(i).get(3), (byte[]) y.get(i).get(3)), "model_state of mst " + x.get(i).get(0));
        }
        assertEquals(f.byKey(OutputTables.info(a), "validation_loss"), f.byKey(OutputTables.info(b), "validation_loss"));
    }

    @Test
    void replayingAnAsynchronousFitGivesIdenticalWeightsAndTheSameRecord() {
        FitFixture f = fitted(FitSpec.Schedule.ASYNC);
        Provenance recorded = Provenance.read(f.store, "done");
        FitReplay.of(f.store, "done", "again", ProgressListener.NONE).run();
        assertSameModels(f, "done", "again");
        Provenance replayed = Provenance.read(f.store, "again");
        assertEquals(recorded.visitOrders(), replayed.visitOrders());
        assertEquals(recorded.sourceFingerprint(), replayed.sourceFingerprint());
        assertEquals(3, recorded.visitOrders().size());
        recorded.visitOrders().values().forEach(perIteration -> assertEquals(3, perIteration.size()));
    }

    @Test
    void replayingARotationFitGivesIdenticalWeights() {
        FitFixture f = fitted(FitSpec.Schedule.ROTATION);
        FitReplay.of(f.store, "done", "again", ProgressListener.NONE).run();
        assertSameModels(f, "done", "again");
        assertEquals("rotation", Provenance.read(f.store, "again").schedule());
    }

    @Test
    void theRecordNamesVersionsSeedScheduleAndFingerprints() {
        FitFixture f = fitted(FitSpec.Schedule.ASYNC);
        Provenance p = Provenance.read(f.store, "done");
        assertEquals(io.hopper.Version.hopper(), p.hopperVersion());
        assertEquals(11, p.seed());
        assertEquals("async", p.schedule());
        assertTrue(p.javaVersion().startsWith(System.getProperty("java.version")), p.javaVersion());
        assertTrue(p.os().startsWith(System.getProperty("os.name")), p.os());
        assertEquals(Provenance.fingerprint(f.store, "iris"), p.sourceFingerprint());
        assertEquals(Provenance.fingerprint(f.store, "iris_v"), p.validationFingerprint().orElseThrow());
        assertTrue(p.sourceFingerprint().matches("[0-9a-f]{64}"));
    }

    @Test
    void changedInputsAndWarmStartedFitsAreRefusedBeforeAnyWork() {
        FitFixture f = fitted(FitSpec.Schedule.ASYNC);
        new FitMultipleModel(f.store, FitFixture.spec("iris", "warm", "mst", 1).build(), ProgressListener.NONE).run();
        new FitMultipleModel(f.store, FitFixture.spec("iris", "warm", "mst", 1).optWarmStart(true).build(), ProgressListener.NONE).run();
        String warm = assertThrows(IllegalArgumentException.class, () -> FitReplay.of(f.store, "warm", "again", ProgressListener.NONE)).getMessage();
        assertTrue(warm.contains("--replay 'warm' was warm-started"), warm);
        f.store.replace("arch", f.store.schema("arch"), f.store.readAll("arch").stream()
                .map(a -> Row.of(a.values().stream().map(v -> v instanceof String j && j.contains("\"relu\"") ? j.replace("\"relu\"", "\"tanh\"") : v)
                        .toList())).toList());
        String arch = assertThrows(IllegalArgumentException.class, () -> FitReplay.of(f.store, "done", "again", ProgressListener.NONE)).getMessage();
        assertTrue(arch.contains("model_id 1 of architecture table 'arch' is no longer the architecture"), arch);
        f.store.drop("mst");
        f.store.drop("mst_summary");
        ModelSelectionTable.load(f.store, "arch", "mst", List.of(1), List.of(String.format(FitFixture.ADAM, "0.5")),
                List.of("batch_size=16, epochs=1"));
        String mst = assertThrows(IllegalArgumentException.class, () -> FitReplay.of(f.store, "done", "again", ProgressListener.NONE)).getMessage();
        assertTrue(mst.contains("model_selection_table 'mst' no longer holds the 3 configurations"), mst);
        f.store.drop("iris_v");
        String gone = assertThrows(IllegalArgumentException.class, () -> FitReplay.of(f.store, "done", "again", ProgressListener.NONE)).getMessage();
        assertTrue(gone.contains("validation_table 'iris_v' no longer exists"), gone);
        f.store.drop("iris");
        f.store.drop("iris_summary");
        f.store.drop("iris_v_summary");
        f.iris("iris", 4);
        String changed = assertThrows(IllegalArgumentException.class, () -> FitReplay.of(f.store, "done", "again", ProgressListener.NONE)).getMessage();
        assertTrue(changed.contains("source_table 'iris' changed since the fit"), changed);
        String missing = assertThrows(IllegalArgumentException.class, () -> FitReplay.of(f.store, "nothing", "again", ProgressListener.NONE)).getMessage();
        assertTrue(missing.contains("--replay 'nothing': table 'nothing_summary' does not exist"), missing);
        assertFalse(f.store.exists("again"));
    }
}
