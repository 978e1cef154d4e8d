package io.hopper.automl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The automl_params of MADlib's hyperopt method ({@code --automl-method tpe}): num_configs configurations (default
 * 20), each trained num_iterations iterations (default 5), proposed by algorithm tpe (default) or rand; plus
 * bucket_size, MADlib's waves: when given, configurations are proposed and trained bucket_size at a time and each
 * wave is proposed from the results of the waves before it (MADlib's bucket is the number of segments); without it,
 * a configuration is proposed whenever a worker would otherwise idle, from every result known then. TPE's own
 * settings: gamma (0.25), n_ei_candidates (24), n_startup (the first min(5, num_configs) proposals are prior draws).
 *
 * @param numConfigs how many configurations in all
 * @param numIterations the iterations each trains
 * @param algorithm how configurations are proposed
 * @param bucketSize MADlib's waves of this many configurations, or empty for no waves
 * @param tpe TPE's settings (the defaults with algorithm=rand)
 */
public record HyperoptParams(int numConfigs, int numIterations, Algorithm algorithm, OptionalInt bucketSize, Tpe.Settings tpe) {
    /** The keys of automl_params for tpe. */
    static final List<String> KEYS = List.of("num_configs", "num_iterations", "algorithm", "bucket_size", "gamma",
            "n_ei_candidates", "n_startup");
    /** The keys only algorithm=tpe takes. */
    private static final List<String> TPE_KEYS = List.of("gamma", "n_ei_candidates", "n_startup");

    /** How configurations are proposed. */
    public enum Algorithm {
        /** The Tree-structured Parzen Estimator. */
        TPE,
        /** Draws from the grids' distributions (hyperopt's rand). */
        RAND;

        /** The name automl_params writes. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates. */
    public HyperoptParams {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(bucketSize, "bucketSize");
        Objects.requireNonNull(tpe, "tpe");
        if (numConfigs < 1) {
            throw new IllegalArgumentException("tpe: num_configs=" + numConfigs + " must be at least 1; use e.g. num_configs=20");
        }
        if (numIterations < 1) {
            throw new IllegalArgumentException("tpe: num_iterations=" + numIterations + " must be at least 1; use e.g. num_iterations=5");
        }
        if (bucketSize.isPresent() && (bucketSize.getAsInt() < 1 || bucketSize.getAsInt() > numConfigs)) {
            throw new IllegalArgumentException("tpe: bucket_size=" + bucketSize.getAsInt() + " must be between 1 and num_configs="
                    + numConfigs + "; use e.g. the number of partitions, or leave it out for no waves");
        }
        if (tpe.startup() > numConfigs) {
            throw new IllegalArgumentException("tpe: n_startup=" + tpe.startup() + " is above num_configs=" + numConfigs
                    + ", so TPE would never model a result; lower n_startup or use algorithm=rand");
        }
    }

    /**
     * Parses automl_params such as {@code "num_configs=20, num_iterations=5, algorithm=tpe"}; every key is optional.
     *
     * @throws IllegalArgumentException naming the key and the rule for a malformed, unknown, repeated or out-of-range
     *     setting, or a TPE setting with algorithm=rand
     */
    public static HyperoptParams parse(String automlParams) {
        Map<String, String> v = AutomlParams.parseText("tpe", automlParams, KEYS);
        int numConfigs = v.containsKey("num_configs") ? AutomlParams.integer("num_configs", v.get("num_configs")) : 20;
        int numIterations = v.containsKey("num_iterations") ? AutomlParams.integer("num_iterations", v.get("num_iterations")) : 5;
        Algorithm algorithm = Algorithm.TPE;
        if (v.containsKey("algorithm")) {
            String name = AutomlParams.word(v.get("algorithm"));
            algorithm = switch (name) {
                case "tpe" -> Algorithm.TPE;
                case "rand" -> Algorithm.RAND;
                default -> throw new IllegalArgumentException("tpe: algorithm=" + v.get("algorithm") + " is not tpe or rand;"
                        + " use algorithm=tpe or algorithm=rand (MADlib's atpe is not offered)");
            };
        }
        if (algorithm == Algorithm.RAND) {
            for (String key : TPE_KEYS) {
                if (v.containsKey(key)) {
                    throw new IllegalArgumentException("tpe: " + key + " applies to algorithm=tpe only; remove it or use"
                            + " algorithm=tpe");
                }
            }
        }
        OptionalInt bucket = v.containsKey("bucket_size")
                ? OptionalInt.of(AutomlParams.integer("bucket_size", v.get("bucket_size"))) : OptionalInt.empty();
        Tpe.Settings d = Tpe.Settings.DEFAULTS;
        double gamma = v.containsKey("gamma") ? AutomlParams.number("gamma", v.get("gamma")) : d.gamma();
        int candidates = v.containsKey("n_ei_candidates")
                ? AutomlParams.integer("n_ei_candidates", v.get("n_ei_candidates")) : d.eiCandidates();
        int startup = v.containsKey("n_startup") ? AutomlParams.integer("n_startup", v.get("n_startup"))
                : Math.max(1, Math.min(d.startup(), numConfigs));
        return new HyperoptParams(numConfigs, numIterations, algorithm, bucket,
                new Tpe.Settings(gamma, candidates, startup, d.priorWeight()));
    }

    /** The automl_params string that gives these settings (TPE's settings only with algorithm=tpe). */
    public String params() {
        List<String> pairs = new ArrayList<>(List.of("num_configs=" + numConfigs, "num_iterations=" + numIterations,
                "algorithm=" + algorithm.label()));
        bucketSize.ifPresent(b -> pairs.add("bucket_size=" + b));
        if (algorithm == Algorithm.TPE) {
            pairs.add("gamma=" + tpe.gamma());
            pairs.add("n_ei_candidates=" + tpe.eiCandidates());
            pairs.add("n_startup=" + tpe.startup());
        }
        return String.join(", ", pairs);
    }
}
