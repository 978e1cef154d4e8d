package io.hopper.automl;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSession;
import io.hopper.model.params.MstEntry;
import io.hopper.mop.DynamicScheduler;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.Placement;
import io.hopper.mop.Unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A fit session in virtual time for a search's driver: {@link DynamicScheduler} with random unit durations, the driver
 * called as the unit loop calls it, and a fake model whose state is a byte array that {@link Model#train} advances once
 * per epoch; metrics at every {@code metricsFrequency} epochs and at the target.
 */
final class SessionSimulator {

    /** The fake training. */
    interface Model {
        /** The first state of a configuration. */
        byte[] initial(MstEntry entry);

        /** The state after one more epoch with {@code entry}'s settings. */
        byte[] train(MstEntry entry, byte[] state);

        /** The training loss of a state. */
        double loss(byte[] state);
    }

    /** One call of the driver's control or one epoch end, in order. */
    record Event(String kind, int mstKey, int epoch, int finishedBefore, int running) {
    }

    /** What the session did. */
    record Result(List<ExecutedUnit> executed, int idleWithWork, Map<Integer, MstEntry> entries, Map<Integer, byte[]> states,
                  Map<Integer, Integer> epochs, List<Event> events, Map<Integer, Map<Integer, byte[]>> trained,
                  List<byte[]> replacedStates) {
    }

    private SessionSimulator() {
    }

    static Result run(FitSession.Driver driver, List<MstEntry> table, int partitions, int workers, long seed,
                      int metricsFrequency, Model model) {
        Placement placement = Placement.roundRobin(partitions, workers);
        DynamicScheduler scheduler = new DynamicScheduler(placement, seed);
        Map<Integer, MstEntry> entries = new TreeMap<>();
        Map<Integer, byte[]> states = new TreeMap<>();
        Map<Integer, Integer> targets = new HashMap<>();
        Map<Integer, Integer> epochs = new TreeMap<>();
        Set<Integer> finished = new HashSet<>();
        Set<Integer> held = new HashSet<>();
        List<Event> events = new ArrayList<>();
        Map<Integer, Map<Integer, byte[]>> trained = new TreeMap<>();
        List<byte[]> replacedStates = new ArrayList<>();
        Map<Integer, MstEntry> byKey = new HashMap<>();
        table.forEach(e -> byKey.put(e.mstKey(), e));
        FitSession.Control control = new FitSession.Control() {
            @Override
            public void add(int mstKey, int targetEpochs) {
                start(byKey.get(mstKey), targetEpochs);
            }

            @Override
            public void add(MstEntry entry, int targetEpochs) {
                if (entries.containsKey(entry.mstKey()) || byKey.containsKey(entry.mstKey())) {
                    throw new IllegalArgumentException("mst_key " + entry.mstKey() + " is taken");
                }
                start(entry, targetEpochs);
            }

            private void start(MstEntry entry, int targetEpochs) {
                events.add(new Event("add", entry.mstKey(), 0, finished.size(), entries.size() - finished.size()));
                scheduler.add(entry.mstKey(), targetEpochs);
                entries.put(entry.mstKey(), entry);
                states.put(entry.mstKey(), model.initial(entry));
                targets.put(entry.mstKey(), targetEpochs);
                epochs.put(entry.mstKey(), 0);
            }

            @Override
            public void extend(int mstKey, int targetEpochs) {
                scheduler.extend(mstKey, targetEpochs);
                targets.put(mstKey, targetEpochs);
            }

            @Override
            public void stop(int mstKey) {
                scheduler.retire(mstKey);
            }

            @Override
            public byte[] state(int mstKey) {
                return states.get(mstKey);
            }

            @Override
            public void replace(int mstKey, MstEntry entry, byte[] state) {
                if (!held.contains(mstKey) || entry.mstKey() != mstKey) {
                    throw new IllegalStateException("replace " + mstKey + " outside its epoch end");
                }
                events.add(new Event("replace", mstKey, epochs.get(mstKey), finished.size(), entries.size() - finished.size()));
                entries.put(mstKey, entry);
                states.put(mstKey, state);
                replacedStates.add(state);
            }
        };
        SplittableRandom random = new SplittableRandom(seed);
        Unit[] running = new Unit[workers];
        double[] start = new double[workers];
        double[] end = new double[workers];
        List<ExecutedUnit> executed = new ArrayList<>();
        int idleWithWork = 0;
        double now = 0;
        driver.start(control);
        while (true) {
            for (int w = 0; w < workers; w++) {
                if (running[w] == null) {
                    Optional<Unit> u = scheduler.next(w);
                    if (u.isEmpty()) {
                        driver.idle(w, control);
                        u = scheduler.next(w);
                    }
                    if (u.isPresent()) {
                        running[w] = u.get();
                        start[w] = now;
                        end[w] = now + random.nextDouble(0.5, 1.5);
                    }
                }
            }
            for (int w = 0; w < workers; w++) {
                if (running[w] == null && scheduler.next(w).isPresent()) {
                    idleWithWork++;
                }
            }
            int first = -1;
            for (int w = 0; w < workers; w++) {
                if (running[w] != null && (first < 0 || end[w] < end[first])) {
                    first = w;
                }
            }
            if (first < 0) {
                break;
            }
            Unit u = running[first];
            running[first] = null;
            now = end[first];
            executed.add(new ExecutedUnit(u, first, start[first], end[first]));
            if (scheduler.complete(u)) {
                int key = u.mstKey();
                states.put(key, model.train(entries.get(key), states.get(key)));
                epochs.put(key, u.iteration());
                trained.computeIfAbsent(key, k -> new TreeMap<>()).put(u.iteration(), states.get(key));
                int target = targets.get(key);
                if (u.iteration() == target) {
                    finished.add(key);
                }
                events.add(new Event("epoch", key, u.iteration(), finished.size(), entries.size() - finished.size()));
                Optional<FitResult.ModelOutcome> metrics = u.iteration() % metricsFrequency == 0 || u.iteration() == target
                        ? Optional.of(new FitResult.ModelOutcome(key, "ok", model.loss(states.get(key)), OptionalDouble.empty(),
                        OptionalDouble.empty(), OptionalDouble.empty()))
                        : Optional.empty();
                held.add(key);
                driver.epochEnded(new FitSession.EpochEnd(key, u.iteration(), target, metrics), control);
                held.remove(key);
                scheduler.release(key);
            }
        }
        return new Result(executed, idleWithWork, entries, states, epochs, events, trained, replacedStates);
    }
}
