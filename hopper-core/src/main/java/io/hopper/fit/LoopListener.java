package io.hopper.fit;

import java.util.List;
import java.util.function.Supplier;

/**
 * Hears the {@link UnitLoop} at its hook points, on the loop's thread: after every unit, at the end of every
 * iteration of a fixed-iteration fit and of every configuration epoch of a session (after its metrics). Between
 * a configuration's units a listener may {@link ConfigState#replace} its state and model; what it throws ends the
 * run as a failed unit would.
 */
public interface LoopListener {
    /** Hears nothing. */
    LoopListener NONE = new LoopListener() {
    };

    /** Both listeners, {@code first} first at every hook point. */
    static LoopListener both(LoopListener first, LoopListener second) {
        return new LoopListener() {
            @Override
            public void unitFinished(ScheduleRow unit, ConfigState config) {
                first.unitFinished(unit, config);
                second.unitFinished(unit, config);
            }

            @Override
            public void iterationEnded(int iteration, List<ConfigState> configs) {
                first.iterationEnded(iteration, configs);
                second.iterationEnded(iteration, configs);
            }

            @Override
            public void epochEnded(ConfigState config, int epoch) {
                first.epochEnded(config, epoch);
                second.epochEnded(config, epoch);
            }

            @Override
            public void sessionStepped(Supplier<SessionProgress> progress, boolean boundary) {
                first.sessionStepped(progress, boundary);
                second.sessionStepped(progress, boundary);
            }
        };
    }

    /** A unit finished (train or eval), with the configuration after it. */
    default void unitFinished(ScheduleRow unit, ConfigState config) {
    }

    /** Iteration {@code iteration} of a fixed-iteration fit ended, metrics included when it computed them. */
    default void iterationEnded(int iteration, List<ConfigState> configs) {
    }

    /** A configuration of a session finished epoch {@code epoch}, metrics included when it computed them. */
    default void epochEnded(ConfigState config, int epoch) {
    }

    /**
     * A session is at a consistent cut: it starts (a new session, {@code boundary} true), or it took a unit result and
     * the driver made its decisions on it; {@code boundary} when a configuration reached its target then (a rung).
     * {@code progress} gives the session's progress now (computed on demand). Not called while a resumed session
     * replays its course.
     */
    default void sessionStepped(Supplier<SessionProgress> progress, boolean boundary) {
    }
}
