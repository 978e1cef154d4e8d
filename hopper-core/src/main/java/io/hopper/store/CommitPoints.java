package io.hopper.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commit points of an operation, numbered in the order a process reaches them, with a test hook: when the
 * system property {@value #HALT_PROPERTY} is N, the JVM halts (as if killed) on reaching its N-th commit point.
 *
 * <p>A directory store's operation passes: 1 staged (nothing visible yet), 2 journal written (committed), then one
 * point per table applied, then journal removed. A PostgreSQL operation passes: 1 before COMMIT, 2 after it.
 */
final class CommitPoints {
    /** The system property naming the commit point to halt at (tests only). */
    static final String HALT_PROPERTY = "hopper.test.haltAtCommitPoint";
    /** The exit status of a halt at a commit point. */
    static final int HALT_STATUS = 86;

    private static final AtomicInteger REACHED = new AtomicInteger();

    private CommitPoints() {
    }

    /** Counts a commit point and halts the JVM if the test hook names it. */
    static void reach() {
        int n = REACHED.incrementAndGet();
        String halt = System.getProperty(HALT_PROPERTY);
        if (halt != null && halt.equals(Integer.toString(n))) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
