package io.hopper.mop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An asynchronous MOP scheduler for a changing set of configurations, each with its own epoch counter and target:
 * configurations can be added at any time, given a further target, and retired; there is no global iteration.
 *
 * <p>A unit (mst, partition) is available to an idle worker when its configuration is active (neither running nor
 * held, fewer epochs done than its target), has not visited that partition in its current epoch, and the partition
 * is on that worker; the worker gets one drawn uniformly at random (as {@link AsyncScheduler}) from one generator
 * seeded here, candidates listed in a fixed order (the worker's partitions ascending, then the order configurations
 * were added), so the same seed and the same sequence of calls give the same schedule. A unit's iteration is its
 * configuration's current epoch (from 1).
 *
 * <p>When a configuration has visited every partition its epoch ends: {@link #complete} says so and the
 * configuration is held until the driver {@link #release}s it (after its metrics and decisions: continue, raise the
 * target, or {@link #retire}). A configuration that reached its target is paused until {@link #extend} raises it.
 * Per configuration epoch every partition completes exactly once; a configuration runs on one worker at a time; a
 * worker runs one unit at a time; a failed unit goes back. Calls out of protocol throw IllegalStateException.
 */
public final class DynamicScheduler {
    /** A configuration's progress. */
    private static final class Config {
        final int key;
        int target;
        int epochsDone;
        boolean held;
        int runningOn = -1;
        final boolean[] visited;

        Config(int key, int target, int partitions) {
            this.key = key;
            this.target = target;
            this.visited = new boolean[partitions];
        }

        boolean available() {
            return !held && runningOn < 0 && epochsDone < target;
        }
    }

    private final Placement placement;
    private final SplittableRandom random;
    private final boolean rotation;
    private final Map<Integer, Config> configs = new LinkedHashMap<>();
    private final Unit[] running;

    /** A scheduler on {@code placement} drawing from {@code seed}, with no configuration yet. */
    public DynamicScheduler(Placement placement, long seed) {
        this(placement, seed, false);
    }

    /**
     * A scheduler on {@code placement} drawing from {@code seed}; with {@code rotation} every configuration visits the
     * partitions of epoch e in the fixed order {@link #rotationOrder} gives, so its weights do not depend on timing or
     * on the engine (only which configuration a worker takes next is drawn).
     */
    public DynamicScheduler(Placement placement, long seed, boolean rotation) {
        this.rotation = rotation;
        this.placement = placement;
        this.random = new SplittableRandom(seed);
        this.running = new Unit[placement.workers()];
    }

    /** The placement of partitions on workers. */
    public Placement placement() {
        return placement;
    }

    /**
     * Adds configuration {@code mstKey}, to train {@code target} epochs from epoch 1.
     *
     * @throws IllegalArgumentException when the key was added before or the target is below 1
     */
    public void add(int mstKey, int target) {
        if (configs.containsKey(mstKey)) {
            throw new IllegalArgumentException("dynamic scheduler: mst " + mstKey + " was already added; add each"
                    + " configuration once and raise its target with extend");
        }
        requireTarget(mstKey, target, 1);
        configs.put(mstKey, new Config(mstKey, target, placement.partitions()));
    }

    /**
     * Raises configuration {@code mstKey}'s target to {@code target} epochs in all.
     *
     * @throws IllegalArgumentException when the target is below the epochs it already trained
     * @throws IllegalStateException when the configuration is unknown or retired
     */
    public void extend(int mstKey, int target) {
        Config c = config(mstKey, "extend");
        requireTarget(mstKey, target, Math.max(1, c.epochsDone));
        c.target = target;
    }

    /**
     * Ends configuration {@code mstKey} for good: it is handed out no more.
     *
     * @throws IllegalStateException when it is unknown, retired, or in the middle of an epoch
     */
    public void retire(int mstKey) {
        Config c = config(mstKey, "retire");
        boolean midEpoch = c.runningOn >= 0;
        for (boolean v : c.visited) {
            midEpoch |= v;
        }
        if (midEpoch) {
            throw new IllegalStateException("dynamic scheduler: cannot retire mst " + mstKey + " in the middle of epoch "
                    + (c.epochsDone + 1) + "; retire it when its epoch ends");
        }
        configs.remove(mstKey);
    }

    /**
     * Lets configuration {@code mstKey}, held since its epoch ended, be handed out again (if below its target).
     *
     * @throws IllegalStateException when it is unknown, retired or not held
     */
    public void release(int mstKey) {
        Config c = config(mstKey, "release");
        if (!c.held) {
            throw new IllegalStateException("dynamic scheduler: mst " + mstKey + " is not held; release a configuration"
                    + " once after complete reported the end of its epoch");
        }
        c.held = false;
    }

    /**
     * The next unit for idle worker {@code idleWorker}, now running on it; empty when no unit is available for it.
     *
     * @throws IllegalStateException when the worker still runs a unit
     */
    public Optional<Unit> next(int idleWorker) {
        placement.requireWorker(idleWorker);
        if (running[idleWorker] != null) {
            throw new IllegalStateException("dynamic scheduler: worker " + idleWorker + " still runs "
                    + running[idleWorker] + "; report it before asking for another unit");
        }
        List<Config> candidates = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        for (int p : placement.partitionsOf(idleWorker)) {
            for (Config c : configs.values()) {
                if (c.available() && !c.visited[p] && (!rotation || p == nextInRotation(c))) {
                    candidates.add(c);
                    partitions.add(p);
                }
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int pick = random.nextInt(candidates.size());
        Config c = candidates.get(pick);
        Unit unit = new Unit(c.key, partitions.get(pick), c.epochsDone + 1);
        c.runningOn = idleWorker;
        running[idleWorker] = unit;
        return Optional.of(unit);
    }

    /**
     * The order in which configuration {@code mstKey} visits the {@code partitions} in epoch {@code epoch} (from 1)
     * with rotation: from partition (mst_key + epoch - 1) mod P upwards, wrapping around.
     */
    public static List<Integer> rotationOrder(int mstKey, int epoch, int partitions) {
        List<Integer> order = new ArrayList<>();
        int first = Math.floorMod(mstKey + epoch - 1, partitions);
        for (int i = 0; i < partitions; i++) {
            order.add((first + i) % partitions);
        }
        return order;
    }

    private int nextInRotation(Config c) {
        for (int p : rotationOrder(c.key, c.epochsDone + 1, c.visited.length)) {
            if (!c.visited[p]) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Records that {@code unit} trained.
     *
     * @return true when it ended its configuration's epoch: the configuration is now held until {@link #release}
     * @throws IllegalStateException when the unit is not running
     */
    public boolean complete(Unit unit) {
        Config c = finish(unit, "complete");
        c.visited[unit.partition()] = true;
        for (boolean v : c.visited) {
            if (!v) {
                return false;
            }
        }
        Arrays.fill(c.visited, false);
        c.epochsDone++;
        c.held = true;
        return true;
    }

    /**
     * Records that {@code unit} failed; its partition is still to visit in the configuration's epoch.
     *
     * @throws IllegalStateException when the unit is not running
     */
    public void fail(Unit unit) {
        finish(unit, "fail");
    }

    /** The epochs configuration {@code mstKey} has finished (0 for an unknown one). */
    public int epochsDone(int mstKey) {
        Config c = configs.get(mstKey);
        return c == null ? 0 : c.epochsDone;
    }

    /** Whether no unit runs, none is available and no configuration is held: nothing happens until a driver call. */
    public boolean quiet() {
        for (Unit u : running) {
            if (u != null) {
                return false;
            }
        }
        return configs.values().stream().noneMatch(c -> c.held || c.available());
    }

    private Config finish(Unit unit, String call) {
        int w = placement.workerOf(unit.partition());
        if (!unit.equals(running[w])) {
            throw new IllegalStateException("dynamic scheduler: " + call + " " + unit + " but it is not running (worker " + w
                    + " runs " + running[w] + "); report only units next handed out, once");
        }
        running[w] = null;
        Config c = configs.get(unit.mstKey());
        c.runningOn = -1;
        return c;
    }

    private Config config(int mstKey, String call) {
        Config c = configs.get(mstKey);
        if (c == null) {
            throw new IllegalStateException("dynamic scheduler: " + call + " mst " + mstKey
                    + " that was never added or is retired; add it first");
        }
        return c;
    }

    private static void requireTarget(int mstKey, int target, int least) {
        if (target < least) {
            throw new IllegalArgumentException("dynamic scheduler: target=" + target + " epochs for mst " + mstKey
                    + " is below " + least + "; give at least the epochs it already trained, and at least 1");
        }
    }
}
