package io.hopper.fit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook for crash tests: with the system property {@code hopper.test.pause-at=POINT:N} a run stops for good
 * the N-th time (from 1) it reaches POINT, after printing {@code hopper-test: paused at POINT:N} on standard error,
 * so that a test can kill the process (kill -9) at exactly that moment. Points: {@code train-unit} (a train unit's
 * result was taken; in a session, after the checkpoint it may have caused), {@code checkpoint} (a checkpoint was written), {@code final-write} (between two output tables
 * of the final write). Without the property nothing happens.
 */
final class FaultPoints {
    /** The property that names the point. */
    static final String PROPERTY = "hopper.test.pause-at";
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

    private FaultPoints() {
    }

    /** Counts a visit to {@code point}; pauses forever when the property names this visit. */
    static void reached(String point) {
        String at = System.getProperty(PROPERTY);
        if (at == null || !at.startsWith(point + ":")) {
            return;
        }
        int n = COUNTS.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
        if (Integer.toString(n).equals(at.substring(point.length() + 1))) {
            System.err.println("hopper-test: paused at " + at);
            System.err.flush();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
