package io.hopper.fit;

import io.hopper.store.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderboardTest {
    private static final String CE = "loss='categorical_crossentropy', metrics=['accuracy'], ";

    private static Leaderboard.Entry entry(int key, String optimizer, String fit, double trainingLoss, double validationLoss) {
        return new Leaderboard.Entry(key, 1, CE + "optimizer='" + optimizer + "'", fit, "ok", trainingLoss, 0.5, validationLoss, 0.75);
    }

    @Test
    void numbersHaveFourSignificantDigits() {
        assertEquals("0.1235", Leaderboard.number(0.123456789));
        assertEquals("12.35", Leaderboard.number(12.3456));
        assertEquals("1", Leaderboard.number(1.0));
        assertEquals("0.5", Leaderboard.number(0.5));
        assertEquals("1.235e-05", Leaderboard.number(0.0000123456));
        assertEquals("NaN", Leaderboard.number(Double.NaN));
    }

    @Test
    void oneColumnPerDifferingSettingRankedByValidationLoss() {
        Leaderboard board = Leaderboard.of(List.of(
                entry(1, "Adam(lr=0.01)", "batch_size=16, epochs=1", 0.4, 0.45),
                entry(2, "Adam(lr=0.001)", "batch_size=16, epochs=1", 0.3, 0.35),
                entry(3, "SGD(lr=0.01, momentum=0.9)", "batch_size=8, epochs=1", 0.2, Double.POSITIVE_INFINITY),
                entry(4, "SGD(lr=0.01)", "batch_size=8, epochs=1", 0.1, 0.55)));
        assertEquals(List.of("optimizer", "lr", "momentum", "batch_size"), board.settingColumns(),
                "model, loss and epochs are the same everywhere; Adam's betas are the same for both Adams");
        assertEquals(List.of(2, 1, 4, 3), board.entries().stream().map(Leaderboard.Entry::mstKey).toList(),
                "validation loss ranks; a non-finite loss goes last");
        List<String> lines = board.lines();
        assertEquals("rank  mst_key  optimizer     lr  momentum  batch_size  training_loss  training_metric  validation_loss  validation_metric  status",
                lines.get(0));
        assertEquals("   1        2  Adam       0.001         -          16            0.3              0.5             0.35               0.75  ok",
                lines.get(1));
        for (String line : lines) {
            assertEquals(lines.get(0).length() - "status".length(), line.lastIndexOf("  ") + 2, "aligned: " + line);
        }
        assertEquals(List.of("rank", "mst_key", "optimizer", "lr", "momentum", "batch_size", "training_loss", "training_metric",
                "validation_loss", "validation_metric", "status"), board.schema().names());
        Row best = board.rows().get(0);
        assertEquals(List.of(1, 2, "Adam", "0.001", "-", "16", 0.3, 0.5, 0.35, 0.75, "ok"), best.values());
    }

    @Test
    void withoutValidationTheConsoleLeavesOutItsColumns() {
        Leaderboard board = Leaderboard.of(List.of(entry(1, "Adam(lr=0.01)", "batch_size=16", 0.4, Double.NaN),
                entry(2, "Adam(lr=0.01)", "batch_size=16", Double.NaN, Double.NaN)));
        assertEquals(List.of(), board.settingColumns());
        assertEquals("rank  mst_key  training_loss  training_metric  status", board.lines().get(0));
        assertTrue(board.lines().get(2).contains("            -"), board.lines().get(2));
    }

    @Test
    void aRankedLeaderboardKeepsItsOrderAndReadsBackByRank(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // an automl search ranks the longest trained first, even when one it stopped early had a lower loss
        Leaderboard board = Leaderboard.ranked(List.of(entry(3, "Adam(lr=0.01)", "batch_size=16", 0.4, 0.45),
                entry(1, "Adam(lr=0.001)", "batch_size=16", 0.3, 0.35).withStatus("stopped by asha at iteration 1 (rung 0)")));
        assertEquals(List.of(3, 1), board.entries().stream().map(Leaderboard.Entry::mstKey).toList());
        assertEquals("stopped by asha at iteration 1 (rung 0)", board.rows().get(1).get(board.schema().indexOf("status")));
        io.hopper.store.FileStore store = new io.hopper.store.FileStore(dir);
        store.write("o_leaderboard", board.schema(), List.of(board.rows().get(1), board.rows().get(0)));
        assertEquals(List.of(3, 1), Leaderboard.readRanking(store, "o_leaderboard"), "by rank, whatever the rows' order");
    }
}
