package io.hopper.automl;

import io.hopper.model.params.ConfigGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MADlib's Hyperband schedule: with s_max = floor(log_eta R), bracket s (from s_max down to skip_last) starts
 * n = ceil(floor((s_max+1)/(s+1)) * eta^s) configurations with r = R * eta^-s iterations, and its round i keeps
 * n_i = floor(n * eta^-i) configurations trained to r_i = round(r * eta^i) iterations, for i = 0..s-skip_last.
 *
 * <p>Everything is computed in exact integer arithmetic: MADlib's {@code math.log(R, eta)} in floating point gives
 * s_max = 4 for R=243, eta=3; here s_max is the largest s with eta^s &lt;= R (5 there). The bracket sizes follow
 * MADlib's formula, whose floor makes them smaller than the Hyperband paper's ceil(B/R * eta^s/(s+1)) (R=81, eta=3:
 * 81, 27, 9, 6, 5 here against the paper's 81, 34, 15, 8, 5); the rounds are the paper's.
 *
 * @param maxIterations R: the most iterations one configuration trains
 * @param eta the factor by which each round cuts the configurations and multiplies their iterations
 * @param skipLast how many last rounds each bracket skips (MADlib's skip_last); brackets s &lt; skip_last disappear
 */
public record HyperbandSchedule(int maxIterations, int eta, int skipLast) {
    /** The keys of automl_params for Hyperband. */
    static final List<String> KEYS = List.of("R", "eta", "skip_last");
    /** MADlib's default automl_params for Hyperband. */
    public static final String DEFAULT_PARAMS = "R=6, eta=3, skip_last=0";
    /** The largest R (max iterations) a search takes. */
    static final int MAX_R = 1_000_000;
    /** The columns of MADlib's hyperband_schedule() output table: bracket s, round i, configurations n_i, iterations r_i. */
    public static final io.hopper.store.Schema SCHEDULE_TABLE = io.hopper.store.Schema.of("s", io.hopper.store.ColumnType.INT,
            "i", io.hopper.store.ColumnType.INT, "n_i", io.hopper.store.ColumnType.INT, "r_i", io.hopper.store.ColumnType.INT);

    /**
     * One round of a bracket.
     *
     * @param bracket s
     * @param round i, from 0
     * @param configurations n_i
     * @param iterations r_i: the iterations each surviving configuration has trained at the end of the round
     */
    public record Round(int bracket, int round, int configurations, int iterations) {
        /** The round as a row of {@link #SCHEDULE_TABLE}. */
        public io.hopper.store.Row toRow() {
            return io.hopper.store.Row.of(bracket, round, configurations, iterations);
        }
    }

    /**
     * One bracket: a run of successive halving.
     *
     * @param s the bracket
     * @param configurations n, its initial number of configurations
     * @param minIterations r = R * eta^-s, the iterations of its first round before rounding
     * @param rounds its rounds, i = 0..s-skip_last
     */
    public record Bracket(int s, int configurations, double minIterations, List<Round> rounds) {
        /** Copies. */
        public Bracket {
            rounds = List.copyOf(rounds);
        }
    }

    /** Validates as MADlib does (eta &gt; 1, R &gt;= eta, 0 &lt;= skip_last &lt;= s_max). */
    public HyperbandSchedule {
        if (eta < 2) {
            throw new IllegalArgumentException("hyperband: eta=" + eta + " must be greater than 1; use e.g. eta=3");
        }
        if (maxIterations < eta || maxIterations > MAX_R) {
            throw new IllegalArgumentException("hyperband: R=" + maxIterations + " must be between eta=" + eta + " and "
                    + MAX_R + "; use e.g. R=" + eta * eta);
        }
        int sMax = log(maxIterations, eta);
        if (skipLast < 0 || skipLast > sMax) {
            throw new IllegalArgumentException("hyperband: skip_last=" + skipLast + " must be between 0 and s_max=" + sMax
                    + " (floor(log_eta R)); use e.g. skip_last=0");
        }
        long total = 0;
        for (int s = sMax; s >= skipLast; s--) {
            total += (sMax + 1L) / (s + 1) * pow(eta, s);
        }
        if (total > ConfigGrid.MAX_CONFIGS) {
            throw new IllegalArgumentException("hyperband: R=" + maxIterations + ", eta=" + eta + " start " + total
                    + " configurations, more than " + ConfigGrid.MAX_CONFIGS + "; lower R or raise eta or skip_last");
        }
    }

    /** Parses automl_params such as {@code "R=6, eta=3, skip_last=0"}; missing keys take MADlib's defaults. */
    public static HyperbandSchedule parse(String automlParams) {
        Map<String, Integer> v = AutomlParams.parse("hyperband", automlParams, KEYS);
        return new HyperbandSchedule(v.getOrDefault("R", 6), v.getOrDefault("eta", 3), v.getOrDefault("skip_last", 0));
    }

    /** s_max = floor(log_eta R). */
    public int sMax() {
        return log(maxIterations, eta);
    }

    /** The brackets in MADlib's order: s from s_max down to skip_last. */
    public List<Bracket> brackets() {
        int sMax = sMax();
        List<Bracket> brackets = new ArrayList<>();
        for (int s = sMax; s >= skipLast; s--) {
            long etaS = pow(eta, s);
            int n = Math.toIntExact((sMax + 1) / (s + 1) * etaS);
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i <= s - skipLast; i++) {
                long etaI = pow(eta, i);
                int ni = Math.toIntExact(n / etaI);
                // round(R * eta^i / eta^s), half away from zero as Python 2's round
                long num = (long) maxIterations * etaI;
                int ri = Math.toIntExact((2 * num + etaS) / (2 * etaS));
                rounds.add(new Round(s, i, ni, ri));
            }
            brackets.add(new Bracket(s, n, maxIterations / (double) etaS, rounds));
        }
        return List.copyOf(brackets);
    }

    /** Every round of every bracket, bracket by bracket: MADlib's schedule table. */
    public List<Round> table() {
        return brackets().stream().flatMap(b -> b.rounds().stream()).toList();
    }

    /** How many configurations the brackets start in all. */
    public int totalConfigurations() {
        return brackets().stream().mapToInt(Bracket::configurations).sum();
    }

    /** The automl_params string that gives this schedule. */
    public String params() {
        return "R=" + maxIterations + ", eta=" + eta + ", skip_last=" + skipLast;
    }

    /** The largest s with base^s &lt;= value. */
    static int log(int value, int base) {
        int s = 0;
        long p = base;
        while (p <= value) {
            s++;
            p *= base;
        }
        return s;
    }

    private static long pow(int base, int exponent) {
        long p = 1;
        for (int k = 0; k < exponent; k++) {
            p *= base;
        }
        return p;
    }
}
