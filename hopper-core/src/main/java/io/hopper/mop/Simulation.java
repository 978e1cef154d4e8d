package io.hopper.mop;

import java.util.List;

/**
 * The result of a simulated run: the units as executed in virtual time, and how the makespan compares with
 * Cerebro's lower bound.
 *
 * @param executed the completed units in completion order (failed attempts are not in it)
 * @param failedAttempts how many attempts failed and were redone
 * @param makespan virtual seconds from the start of the first iteration to the end of the last unit
 * @param lowerBound the sum over the simulated iterations of {@link VisitDurations#iterationLowerBound}
 */
public record Simulation(List<ExecutedUnit> executed, int failedAttempts, double makespan, double lowerBound) {
    /** Validates and copies. */
    public Simulation {
        executed = List.copyOf(executed);
        if (failedAttempts < 0 || makespan < 0 || !(lowerBound > 0)) {
            throw new IllegalArgumentException("simulation: failedAttempts=" + failedAttempts + ", makespan="
                    + makespan + ", lowerBound=" + lowerBound + "; give counts and times >= 0, lowerBound > 0");
        }
    }

    /** makespan / lowerBound: 1 is optimal. */
    public double ratio() {
        return makespan / lowerBound;
    }
}
