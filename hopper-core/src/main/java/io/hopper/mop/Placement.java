package io.hopper.mop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which worker owns which partitions: data never moves, so a unit on partition p always runs on the worker that
 * owns p.
 *
 * @param partitionsByWorker for each worker (by index, from 0) the partitions it owns, ascending; every
 *     partition 0..P-1 is on exactly one worker and every worker owns at least one
 */
public record Placement(List<List<Integer>> partitionsByWorker) {
    /** Validates and copies (each worker's partitions sorted ascending). */
    public Placement {
        if (partitionsByWorker.isEmpty()) {
            throw new IllegalArgumentException("placement: no worker given; give at least one worker");
        }
        int partitions = partitionsByWorker.stream().mapToInt(List::size).sum();
        int[] owner = new int[partitions];
        Arrays.fill(owner, -1);
        List<List<Integer>> copy = new ArrayList<>();
        for (int w = 0; w < partitionsByWorker.size(); w++) {
            List<Integer> owned = partitionsByWorker.get(w).stream().sorted().toList();
            if (owned.isEmpty()) {
                throw new IllegalArgumentException("placement: worker " + w
                        + " owns no partition; use at most as many workers as partitions");
            }
            for (int p : owned) {
                if (p < 0 || p >= partitions) {
                    throw new IllegalArgumentException("placement: worker " + w + " owns partition " + p
                            + ", outside 0.." + (partitions - 1) + "; number partitions 0..P-1");
                }
                if (owner[p] >= 0) {
                    throw new IllegalArgumentException("placement: partition " + p + " is on workers " + owner[p]
                            + " and " + w + "; put every partition on exactly one worker");
                }
                owner[p] = w;
            }
            copy.add(List.copyOf(owned));
        }
        partitionsByWorker = List.copyOf(copy);
    }

    /** MADlib's default: partition p on worker p mod {@code workers}. */
    public static Placement roundRobin(int partitions, int workers) {
        if (workers < 1 || workers > partitions) {
            throw new IllegalArgumentException("placement: workers=" + workers + " with partitions=" + partitions
                    + "; use between 1 and the number of partitions workers");
        }
        List<List<Integer>> byWorker = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<Integer> owned = new ArrayList<>();
            for (int p = w; p < partitions; p += workers) {
                owned.add(p);
            }
            byWorker.add(owned);
        }
        return new Placement(byWorker);
    }

    /** The number of workers. */
    public int workers() {
        return partitionsByWorker.size();
    }

    /** The number of partitions. */
    public int partitions() {
        return partitionsByWorker.stream().mapToInt(List::size).sum();
    }

    /** The partitions worker {@code worker} owns, ascending. */
    public List<Integer> partitionsOf(int worker) {
        requireWorker(worker);
        return partitionsByWorker.get(worker);
    }

    /** The worker that owns partition {@code partition}. */
    public int workerOf(int partition) {
        for (int w = 0; w < partitionsByWorker.size(); w++) {
            if (partitionsByWorker.get(w).contains(partition)) {
                return w;
            }
        }
        throw new IllegalArgumentException("placement: partition " + partition + " is outside 0.."
                + (partitions() - 1) + "; ask for a partition of this placement");
    }

    /** Throws an IllegalArgumentException unless {@code worker} is one of this placement's workers. */
    public void requireWorker(int worker) {
        if (worker < 0 || worker >= partitionsByWorker.size()) {
            throw new IllegalArgumentException("worker " + worker + " is outside 0.." + (partitionsByWorker.size() - 1)
                    + "; ask for a worker of this placement");
        }
    }
}
