package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleInvariantsTest {
    private static final Configurations CONFIGS = Configurations.of(1, 2);

    private static ExecutedUnit x(int mst, int partition, int iteration, int worker, double start, double end) {
        return new ExecutedUnit(new Unit(mst, partition, iteration), worker, start, end);
    }

    /** Two configurations on two partitions and workers, iteration {@code iteration} starting at {@code t0}. */
    private static List<ExecutedUnit> iteration(int iteration, double t0) {
        return List.of(
                x(1, 0, iteration, 0, t0, t0 + 1), x(2, 0, iteration, 0, t0 + 1, t0 + 2),
                x(2, 1, iteration, 1, t0, t0 + 1), x(1, 1, iteration, 1, t0 + 1, t0 + 2));
    }

    private static List<ExecutedUnit> valid() {
        List<ExecutedUnit> all = new ArrayList<>(iteration(1, 0));
        all.addAll(iteration(2, 2));
        return all;
    }

    private static void assertViolation(String expected, List<ExecutedUnit> schedule) {
        var e = assertThrows(IllegalStateException.class, () -> ScheduleInvariants.check(schedule, CONFIGS, 2));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void acceptsValidScheduleWithTouchingIntervals() {
        assertDoesNotThrow(() -> ScheduleInvariants.check(valid(), CONFIGS, 2));
        assertDoesNotThrow(() -> ScheduleInvariants.check(List.of(), CONFIGS, 2));
    }

    @Test
    void catchesMissingUnit() {
        List<ExecutedUnit> broken = new ArrayList<>(valid());
        broken.remove(2);
        assertViolation("completeness: iteration 1 ran (mst 2, partition 1) 0 times", broken);
    }

    @Test
    void catchesDuplicateUnit() {
        List<ExecutedUnit> broken = new ArrayList<>(valid());
        broken.add(x(1, 1, 2, 1, 5, 6));
        assertViolation("completeness: iteration 2 ran (mst 1, partition 1) 2 times", broken);
    }

    @Test
    void catchesUnknownConfigurationAndPartition() {
        List<ExecutedUnit> broken = new ArrayList<>(valid());
        broken.add(x(3, 0, 1, 0, 9, 10));
        assertViolation("completeness: unit (mst 3, partition 0, iteration 1) is not in the schedule", broken);
        broken = new ArrayList<>(valid());
        broken.add(x(1, 2, 1, 0, 9, 10));
        assertViolation("completeness: unit (mst 1, partition 2, iteration 1) is not in the schedule", broken);
    }

    @Test
    void catchesMissingIteration() {
        List<ExecutedUnit> broken = new ArrayList<>(iteration(1, 0));
        broken.addAll(iteration(3, 2));
        assertViolation("completeness: iteration 2 has no unit", broken);
    }

    @Test
    void catchesIterationStartingBeforeThePreviousEnded() {
        List<ExecutedUnit> broken = new ArrayList<>(iteration(1, 0));
        broken.addAll(iteration(2, 1.5));
        assertViolation("iteration order: iteration 2 started at 1.5 before iteration 1 ended at 2.0", broken);
    }

    @Test
    void catchesConfigurationOnTwoWorkersAtOnce() {
        List<ExecutedUnit> broken = List.of(
                x(1, 0, 1, 0, 0, 1), x(2, 0, 1, 0, 1, 2),
                x(1, 1, 1, 1, 0.5, 1.5), x(2, 1, 1, 1, 2, 3));
        assertViolation("configuration isolation: mst 1", broken);
    }

    @Test
    void catchesWorkerRunningTwoUnitsAtOnce() {
        List<ExecutedUnit> broken = List.of(
                x(1, 0, 1, 0, 0, 1), x(2, 0, 1, 0, 0.5, 1.5),
                x(2, 1, 1, 1, 0, 0.5), x(1, 1, 1, 1, 1, 2));
        assertViolation("worker isolation: worker 0", broken);
    }

    @Test
    void catchesOverlapHiddenBehindALongUnit() {
        // mst 1: a long unit [0, 10] overlaps a later short one even though the unit in between does not.
        List<ExecutedUnit> broken = List.of(
                x(1, 0, 1, 0, 0, 10), x(2, 0, 1, 0, 10, 11),
                x(2, 1, 1, 1, 0, 1), x(1, 1, 1, 1, 5, 6));
        assertViolation("configuration isolation: mst 1", broken);
    }

    @Test
    void rejectsNonPositivePartitionCount() {
        var e = assertThrows(IllegalArgumentException.class, () -> ScheduleInvariants.check(List.of(), CONFIGS, 0));
        assertTrue(e.getMessage().contains("partitions=0"), e.getMessage());
    }

    @Test
    void checkEpochsAcceptsConfigurationsWithTheirOwnEpochs() {
        List<ExecutedUnit> ok = List.of(
                new ExecutedUnit(new Unit(1, 0, 1), 0, 0, 1), new ExecutedUnit(new Unit(2, 1, 1), 1, 0, 1),
                new ExecutedUnit(new Unit(1, 1, 1), 1, 1, 2), new ExecutedUnit(new Unit(2, 0, 1), 0, 1, 2),
                new ExecutedUnit(new Unit(1, 1, 2), 1, 2, 3), new ExecutedUnit(new Unit(1, 0, 2), 0, 3, 4));
        assertDoesNotThrow(() -> ScheduleInvariants.checkEpochs(ok, 2));
    }

    @Test
    void checkEpochsNamesTheBrokenInvariant() {
        List<ExecutedUnit> missing = List.of(new ExecutedUnit(new Unit(1, 0, 1), 0, 0, 1));
        assertTrue(assertThrows(IllegalStateException.class, () -> ScheduleInvariants.checkEpochs(missing, 2))
                .getMessage().contains("partition 1 0 times"));
        List<ExecutedUnit> skipped = List.of(new ExecutedUnit(new Unit(1, 0, 2), 0, 0, 1));
        assertTrue(assertThrows(IllegalStateException.class, () -> ScheduleInvariants.checkEpochs(skipped, 1))
                .getMessage().contains("without epoch 1"));
        List<ExecutedUnit> early = List.of(new ExecutedUnit(new Unit(1, 0, 1), 0, 0, 2),
                new ExecutedUnit(new Unit(1, 1, 1), 1, 0.5, 1), new ExecutedUnit(new Unit(1, 1, 2), 1, 1, 1.5),
                new ExecutedUnit(new Unit(1, 0, 2), 0, 2, 3));
        assertTrue(assertThrows(IllegalStateException.class, () -> ScheduleInvariants.checkEpochs(early, 2))
                .getMessage().contains("iteration order"));
        List<ExecutedUnit> twoWorkers = List.of(new ExecutedUnit(new Unit(1, 0, 1), 0, 0, 2),
                new ExecutedUnit(new Unit(2, 0, 1), 0, 1, 3));
        assertTrue(assertThrows(IllegalStateException.class, () -> ScheduleInvariants.checkEpochs(twoWorkers, 1))
                .getMessage().contains("worker isolation"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScheduleInvariants.checkEpochs(List.of(), 0))
                .getMessage().contains("partitions=0"));
    }
}
