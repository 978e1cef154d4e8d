package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleProgressTest {

    private static Map<Integer, Double> losses(int configs) {
        Map<Integer, Double> m = new HashMap<>();
        for (int k = 1; k <= configs; k++) {
            m.put(k, 1.0 / k + 0.123456789);
        }
        return m;
    }

    @Test
    void lineSummarizesIterationUnitsTimesAndTheBestLoss() {
        FitProgress p = new FitProgress(2, 6, 30, 90, 61_000, Map.of(2, 0.5, 1, 1.25));
        assertEquals("iteration 2/6  units 30/90 (33%)  elapsed 1:01  ETA 2:02  best loss 0.5 (mst 2)", ConsoleProgress.line(p, 200));
        assertTrue(ConsoleProgress.line(new FitProgress(1, 1, 0, 3, 0, Map.of()), 200).contains("ETA ?"));
    }

    @Test
    void lineNeverExceedsTheWidthAndDropsTheLeastImportantFactsFirst() {
        FitProgress p = new FitProgress(12, 100, 1234, 80000, 3_700_000, losses(64));
        for (int width = 1; width <= 200; width++) {
            String line = ConsoleProgress.line(p, width);
            assertTrue(line.length() <= width, width + ": " + line);
            if (width >= 40) {
                assertTrue(line.contains("units 1234/80000") && line.contains("elapsed 1:01:40"), width + ": " + line);
            }
        }
        assertEquals("units 1234/80000 (1%)  elapsed 1:01:40", ConsoleProgress.line(p, 45));
        assertFalse(ConsoleProgress.line(p, 200).contains("mst 1 "), "one best loss, not every configuration");
    }

    @Test
    void quietPrintsNothing() {
        StringWriter s = new StringWriter();
        ConsoleProgress quiet = new ConsoleProgress(new PrintWriter(s), ConsoleProgress.Mode.QUIET, 80);
        quiet.onEstimate(new MemoryEstimate(0, 1024, 1), 4096);
        quiet.onProgress(new FitProgress(1, 1, 1, 1, 5, Map.of(1, 0.5)));
        quiet.onEnd();
        assertEquals("", s.toString());
    }

    @Test
    void terminalRewritesOneLineWithinTheWidthAndEndsIt() {
        StringWriter s = new StringWriter();
        ConsoleProgress loud = new ConsoleProgress(new PrintWriter(s), ConsoleProgress.Mode.TERMINAL, 40);
        loud.onEstimate(new MemoryEstimate(0, 1024, 1), 4096);
        loud.onProgress(new FitProgress(1, 1, 1, 2, 300, losses(8)));
        loud.onProgress(new FitProgress(1, 1, 2, 2, 301, losses(8)));
        loud.onEnd();
        String text = s.toString();
        assertTrue(text.startsWith("memory: "), text);
        String progress = text.substring(text.indexOf('\r'));
        assertTrue(progress.contains("\runits 2/2 (100%)"), "the last unit is always shown: " + text);
        for (String segment : progress.split("[\r\n]")) {
            assertTrue(segment.replace("\u001b[K", "").length() < 40, "'" + segment + "' fits in 40 columns");
        }
        assertTrue(text.endsWith(System.lineSeparator()));
    }

    @Test
    void offATerminalOneLogLinePerIterationAndOneAtTheEnd() {
        StringWriter s = new StringWriter();
        ConsoleProgress log = new ConsoleProgress(new PrintWriter(s), ConsoleProgress.Mode.LOG, 80);
        for (int it = 1; it <= 3; it++) {
            for (int u = 1; u <= 4; u++) {
                log.onProgress(new FitProgress(it, 3, (it - 1) * 4L + u, 12, it * 1000L + u, losses(2)));
            }
        }
        log.onEnd();
        List<String> lines = s.toString().lines().toList();
        assertEquals(3, lines.size(), s.toString());
        assertTrue(lines.get(0).startsWith("progress: iteration 2/3, units 5/12 (41%), elapsed 0:02, ETA "), lines.get(0));
        assertTrue(lines.get(2).startsWith("progress: iteration 3/3, units 12/12 (100%), elapsed 0:03, ETA 0:00, best loss 0.6235 (mst 2)"),
                lines.get(2));
        assertFalse(s.toString().contains("\r"), "no carriage returns in a log");
    }

    @Test
    void offATerminalALongIterationStillLogsEveryInterval() throws InterruptedException {
        StringWriter s = new StringWriter();
        ConsoleProgress log = new ConsoleProgress(new PrintWriter(s), ConsoleProgress.Mode.LOG, 80, 100);
        log.onProgress(new FitProgress(1, 2, 1, 10, 5, losses(1)));
        Thread.sleep(450);
        log.onEnd();
        long lines = s.toString().lines().filter(l -> l.startsWith("progress: iteration 1/2, units 1/10 (10%)")).count();
        assertTrue(lines >= 3, "a line at least every 100 ms while no unit finishes: " + s);
    }
}
