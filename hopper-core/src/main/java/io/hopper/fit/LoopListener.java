package io.hopper.fit;

import java.util.List;

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
}
