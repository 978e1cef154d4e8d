package io.hopper.fit;

import io.hopper.mop.Unit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@link UnitLoop} starts: at iteration 1 for a new run, or where a checkpoint left an interrupted one.
 *
 * @param firstIteration the first iteration to train (train units of earlier ones are all done)
 * @param doneBefore the train units of {@code firstIteration} done before the interruption (the configurations'
 *     states already include them): the loop completes them in the scheduler without running them
 * @param before the schedule rows of the units run before
 * @param offsetMs the run's clock at the checkpoint: this process's times continue from it
 * @param attempt this process: 1 for a new run, 2 for the first resume, ...
 * @param unitsDone the units (train and eval, done or skipped) counted by the progress before
 * @param replay a resumed session's course, replayed before it goes on; empty for a fit and a new session
 */
record LoopStart(int firstIteration, Set<Unit> doneBefore, List<ScheduleRow> before, double offsetMs, int attempt, long unitsDone,
                 Optional<Replay> replay) {
    /** A new run. */
    static final LoopStart FRESH = new LoopStart(1, Set.of(), List.of(), 0, 1, 0, Optional.empty());

    /** Copies. */
    LoopStart {
        doneBefore = Set.copyOf(doneBefore);
        before = List.copyOf(before);
        Objects.requireNonNull(replay, "replay");
    }

    /**
     * A resumed session: its course to replay (the recorded unit results, in order, without running the units), and the
     * configurations' progress at the checkpoint, restored once the course is replayed.
     *
     * @param course the recorded results and state reads
     * @param configs the configurations' progress at the checkpoint
     */
    record Replay(SessionLog.Course course, List<Checkpoint.ConfigState> configs) {
        /** Copies. */
        Replay {
            Objects.requireNonNull(course, "course");
            configs = List.copyOf(configs);
        }

        /** The progress of configuration {@code mstKey} at the checkpoint, if it holds it. */
        Optional<Checkpoint.ConfigState> config(int mstKey) {
            return configs.stream().filter(c -> c.mstKey() == mstKey).findFirst();
        }
    }
}
