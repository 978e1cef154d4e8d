package io.hopper.automl;

import io.hopper.model.params.ConfigGrid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asynchronous successive halving (ASHA, Li et al., MLSys 2020) as pure logic: configurations climb rungs
 * k = 0..K trained to min_r * eta^k iterations (the top rung to R); whenever a worker asks for a job, the best
 * configuration of the highest rung that is in the top 1/eta of the results reported there and not yet promoted goes
 * up one rung, and otherwise a new configuration starts at rung 0. Nothing waits for a rung to fill: a rung with m
 * results promotes its best floor(m/eta) as soon as they are known. A configuration never promoted stops at its rung.
 *
 * <p>Deterministic: the same sequence of {@link #next()} and {@link #report} calls gives the same jobs; ties in score
 * go to the configuration started first. Not thread-safe: one driver calls it.
 */
public final class Asha {

    /**
     * ASHA's settings.
     *
     * @param maxIterations R: the iterations of the top rung
     * @param eta the promotion fraction 1/eta and the growth of the rungs' iterations
     * @param minIterations min_r: the iterations of rung 0
     * @param numConfigs how many configurations start in all
     */
    public record Params(int maxIterations, int eta, int minIterations, int numConfigs) {
        /** The keys of automl_params for ASHA. */
        static final List<String> KEYS = List.of("R", "eta", "min_r", "num_configs");

        /** Validates. */
        public Params {
            if (eta < 2) {
                throw new IllegalArgumentException("asha: eta=" + eta + " must be greater than 1; use e.g. eta=3");
            }
            if (minIterations < 1) {
                throw new IllegalArgumentException("asha: min_r=" + minIterations + " must be at least 1; use e.g. min_r=1");
            }
            if (maxIterations > HyperbandSchedule.MAX_R) {
                throw new IllegalArgumentException("asha: R=" + maxIterations + " must be at most " + HyperbandSchedule.MAX_R
                        + "; use e.g. R=9");
            }
            if (maxIterations < (long) minIterations * eta) {
                throw new IllegalArgumentException("asha: R=" + maxIterations + " must be at least min_r * eta = "
                        + (long) minIterations * eta + " so that there are two rungs; raise R or lower min_r");
            }
            if (numConfigs < 1 || numConfigs > ConfigGrid.MAX_CONFIGS) {
                throw new IllegalArgumentException("asha: num_configs=" + numConfigs + " must be between 1 and "
                        + ConfigGrid.MAX_CONFIGS + "; use e.g. num_configs=27");
            }
        }

        /** Parses automl_params such as {@code "R=9, eta=3, min_r=1, num_configs=27"}; num_configs is required. */
        public static Params parse(String automlParams) {
            Map<String, Integer> v = AutomlParams.parse("asha", automlParams, KEYS);
            if (!v.containsKey("num_configs")) {
                throw new IllegalArgumentException("asha: automl_params has no num_configs; add e.g. \"num_configs=27\"");
            }
            return new Params(v.getOrDefault("R", 9), v.getOrDefault("eta", 3), v.getOrDefault("min_r", 1), v.get("num_configs"));
        }

        /** The cumulative iterations of each rung: min_r * eta^k below the top rung, R at the top. */
        public List<Integer> rungIterations() {
            List<Integer> rungs = new ArrayList<>();
            long r = minIterations;
            while (r * eta <= maxIterations) {
                rungs.add((int) r);
                r *= eta;
            }
            rungs.add(maxIterations);
            return List.copyOf(rungs);
        }

        /** The automl_params string that gives these settings. */
        public String params() {
            return "R=" + maxIterations + ", eta=" + eta + ", min_r=" + minIterations + ", num_configs=" + numConfigs;
        }
    }

    /**
     * A job: train configuration {@code config} (0..num_configs-1, in start order) up to rung {@code rung}.
     *
     * @param config the configuration
     * @param rung the rung it reaches when the job ends
     */
    public record Job(int config, int rung) {
    }

    /** A configuration's result at a rung. */
    private record Result(int config, Score score) {
    }

    private static final Comparator<Result> RANKING =
            Comparator.comparing(Result::score, Score.BEST_FIRST).thenComparingInt(Result::config);

    private final Params params;
    private final List<Integer> rungIterations;
    private final List<List<Result>> results = new ArrayList<>();
    private final List<Set<Integer>> promoted = new ArrayList<>();
    private final Map<Integer, Job> running = new HashMap<>();
    private final Map<Integer, Integer> reached = new HashMap<>();
    private int started;

    /** A fresh run. */
    public Asha(Params params) {
        this.params = params;
        this.rungIterations = params.rungIterations();
        for (int k = 0; k < rungIterations.size(); k++) {
            results.add(new ArrayList<>());
            promoted.add(new HashSet<>());
        }
    }

    /** The settings. */
    public Params params() {
        return params;
    }

    /** The cumulative iterations of each rung. */
    public List<Integer> rungIterations() {
        return rungIterations;
    }

    /**
     * The next job for an idle worker: a promotion if some rung has one (the highest rung first), else a new
     * configuration at rung 0, else none (wait for a running job, or stop when {@link #finished()}).
     */
    public Optional<Job> next() {
        Optional<Job> promotion = promotion();
        if (promotion.isPresent()) {
            promoted.get(promotion.get().rung() - 1).add(promotion.get().config());
            return Optional.of(start(promotion.get()));
        }
        if (started < params.numConfigs()) {
            return Optional.of(start(new Job(started++, 0)));
        }
        return Optional.empty();
    }

    /**
     * Promotes configuration {@code config} at once when the rung it just reached is not the top one and it is in the
     * top floor(m/eta) of the m results reported there so far (and was not promoted from there): the job continues it
     * one rung up. Otherwise empty: it pauses, and {@link #next()} may promote it later.
     *
     * @throws IllegalStateException when the configuration is running or has reported no result
     */
    public Optional<Job> promote(int config) {
        Integer k = reached.get(config);
        if (k == null || running.containsKey(config)) {
            throw new IllegalStateException("asha: configuration " + config + " is running or has no result;"
                    + " promote a configuration right after reporting its job");
        }
        if (k == rungIterations.size() - 1 || promoted.get(k).contains(config)) {
            return Optional.empty();
        }
        List<Result> rung = new ArrayList<>(results.get(k));
        rung.sort(RANKING);
        for (Result r : rung.subList(0, rung.size() / params.eta())) {
            if (r.config() == config) {
                promoted.get(k).add(config);
                return Optional.of(start(new Job(config, k + 1)));
            }
        }
        return Optional.empty();
    }

    /** The best not yet promoted configuration in the top 1/eta of the highest rung that has one. */
    private Optional<Job> promotion() {
        for (int k = rungIterations.size() - 2; k >= 0; k--) {
            List<Result> rung = new ArrayList<>(results.get(k));
            rung.sort(RANKING);
            for (Result r : rung.subList(0, rung.size() / params.eta())) {
                if (!promoted.get(k).contains(r.config())) {
                    return Optional.of(new Job(r.config(), k + 1));
                }
            }
        }
        return Optional.empty();
    }

    private Job start(Job job) {
        running.put(job.config(), job);
        return job;
    }

    /**
     * Records the result of a finished job.
     *
     * @throws IllegalStateException when the job is not running
     */
    public void report(Job job, Score score) {
        if (!job.equals(running.get(job.config()))) {
            throw new IllegalStateException("asha: job " + job + " is not running; report each job from next() once");
        }
        running.remove(job.config());
        results.get(job.rung()).add(new Result(job.config(), score));
        reached.put(job.config(), job.rung());
    }

    /** Whether every configuration has started, none is running and no rung can promote: the search is over. */
    public boolean finished() {
        return started == params.numConfigs() && running.isEmpty() && promotion().isEmpty();
    }

    /** The highest rung configuration {@code config} has finished, if any. */
    public Optional<Integer> rungReached(int config) {
        return Optional.ofNullable(reached.get(config));
    }

    /** The iterations a job trains on top of what its configuration had: from the previous rung to its rung. */
    public int iterationsToTrain(Job job) {
        return rungIterations.get(job.rung()) - (job.rung() == 0 ? 0 : rungIterations.get(job.rung() - 1));
    }
}
