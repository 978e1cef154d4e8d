package io.hopper.report;

import io.hopper.store.FileStore;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitRecordTest {
    @TempDir
    Path dir;

    @Test
    void leaderboardRanksByValidationLossElseTrainingLossWithNaNLast() {
        FitRecord validated = Records.fit(List.of(
                Records.config(1, "batch_size=16", List.of(0.9, 0.1), List.of(0.9, 0.8)),
                Records.config(2, "batch_size=16", List.of(0.9, 0.7), List.of(0.9, 0.3)),
                Records.config(3, "batch_size=16", List.of(0.9, Double.NaN), List.of(0.9, Double.NaN))), "v");
        assertEquals(List.of(2, 1, 3), validated.leaderboard().stream().map(FitRecord.Config::mstKey).toList());
        FitRecord trainingOnly = Records.fit(List.of(
                Records.config(1, "batch_size=16", List.of(0.9, 0.1), List.of()),
                Records.config(2, "batch_size=16", List.of(0.9, 0.7), List.of())), null);
        assertEquals(List.of(1, 2), trainingOnly.leaderboard().stream().map(FitRecord.Config::mstKey).toList());
    }

    @Test
    void utilizationIsBusyTimeOverTheMakespanPerWorker() {
        FitRecord fit = Records.fit(List.of(Records.config(1, "batch_size=16", List.of(1.0, 0.5), List.of())), null);
        assertEquals(200.0, fit.makespanMs());
        assertEquals(List.of(1.0, 0.5), fit.utilization());
    }

    @Test
    void aTableThatIsNotAFitsOutputIsAOneLineError() {
        try (Store store = new FileStore(dir)) {
            String m = assertThrows(IllegalArgumentException.class, () -> FitRecord.read(store, "models")).getMessage();
            assertTrue(m.startsWith("--model-table 'models': table 'models' does not exist"), m);
        }
    }
}
