package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleProgressTest {

    @Test
    void lineShowsIterationUnitsTimesAndLosses() {
        FitProgress p = new FitProgress(2, 6, 30, 90, 61_000, Map.of(2, 0.5, 1, 1.25));
        assertEquals("iteration 2/6  units 30/90  elapsed 1:01  remaining ~2:02  loss 1:1.2500 2:0.5000", ConsoleProgress.line(p));
        assertTrue(ConsoleProgress.line(new FitProgress(1, 1, 0, 3, 0, Map.of())).contains("remaining ?"));
        FitProgress many = new FitProgress(1, 1, 1, 3, 10, Map.of(1, 1.0, 2, 1.0, 3, 1.0, 4, 1.0, 5, 1.0));
        assertTrue(ConsoleProgress.line(many).endsWith("4:1.0000 ..."), ConsoleProgress.line(many));
    }

    @Test
    void quietPrintsOnlyTheEstimate() {
        StringWriter s = new StringWriter();
        ConsoleProgress quiet = new ConsoleProgress(new PrintWriter(s), false);
        quiet.onEstimate(new MemoryEstimate(0, 1024, 1), 4096);
        quiet.onProgress(new FitProgress(1, 1, 1, 1, 5, Map.of(1, 0.5)));
        quiet.onEnd();
        assertEquals("memory: cache 0 B + decoded partitions 0 B + models 1.0 KiB x 2 copies (1 workers and the driver) = 2.0 KiB,"
                + " 2.5 KiB with 25% headroom, limit 4.0 KiB"
                + System.lineSeparator(), s.toString());
    }

    @Test
    void progressRewritesOneLineAndEndsIt() {
        StringWriter s = new StringWriter();
        ConsoleProgress loud = new ConsoleProgress(new PrintWriter(s), true);
        loud.onProgress(new FitProgress(1, 1, 1, 2, 300, Map.of(1, 0.5)));
        loud.onProgress(new FitProgress(1, 1, 2, 2, 301, Map.of(1, 0.4)));
        loud.onEnd();
        String text = s.toString();
        assertTrue(text.startsWith("\riteration 1/1  units 1/2"), text);
        assertTrue(text.contains("\riteration 1/1  units 2/2"), "the last unit is always shown: " + text);
        assertTrue(text.endsWith(System.lineSeparator()));
    }
}
