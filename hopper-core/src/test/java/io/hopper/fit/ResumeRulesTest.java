package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeRulesTest {
    private static final Checkpoint CHECKPOINT = CheckpointTableTest.sample(1);
    private static final Map<String, String> ARGS = Map.of("--seed", "7", "--schedule", "rotation");
    private static final Map<String, String> PRINTS = Map.of("iris", "ab12", "mst", "cd34");

    private static String refused(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
        }
        return e.getMessage();
    }

    @Test
    void aNewRunIsRefusedWhileACheckpointWaits() {
        assertDoesNotThrow(() -> ResumeRules.requireNoCheckpoint("out", false));
        refused(() -> ResumeRules.requireNoCheckpoint("out", true), "'out_checkpoint'", "--resume", "`hopper table drop out_checkpoint`");
    }

    @Test
    void resumesTheMatchingCheckpoint() {
        assertSame(CHECKPOINT, ResumeRules.resumable("out", Optional.of(CHECKPOINT), ARGS, PRINTS));
    }

    @Test
    void refusesWithoutACheckpoint() {
        refused(() -> ResumeRules.resumable("out", Optional.empty(), ARGS, PRINTS), "--resume", "no checkpoint", "run without --resume");
    }

    @Test
    void refusesOtherArgumentsNamingEach() {
        String m = refused(() -> ResumeRules.resumable("out", Optional.of(CHECKPOINT), Map.of("--seed", "8", "--workers", "2"), PRINTS),
                "--schedule not given (the interrupted run had rotation)", "--seed 8 (the interrupted run had 7)",
                "--workers 2 (the interrupted run had not given)", "hopper table drop out_checkpoint");
        assertTrue(m.indexOf("--schedule") < m.indexOf("--seed"), "sorted: " + m);
    }

    @Test
    void refusesChangedInputTables() {
        refused(() -> ResumeRules.resumable("out", Optional.of(CHECKPOINT), ARGS, Map.of("iris", "ab12", "mst", "ffff")),
                "table 'mst' changed since the interrupted run", "hopper table drop out_checkpoint");
        refused(() -> ResumeRules.resumable("out", Optional.of(CHECKPOINT), ARGS, Map.of("iris", "0", "mst", "cd34", "iris_v", "9")),
                "tables 'iris', 'iris_v' changed");
        assertEquals("out_checkpoint", CheckpointTable.name("out"));
    }
}
