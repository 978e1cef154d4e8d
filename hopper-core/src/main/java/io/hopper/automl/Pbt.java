package io.hopper.automl;

import io.hopper.model.params.MstEntry;
import io.hopper.model.params.SearchSpace;
import io.hopper.model.runtime.TrainableModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Population Based Training (Jaderberg et al., 2017) as pure logic, asynchronous as Ray Tune runs it: a population of
 * configurations trains together; whenever one has trained another {@code interval} iterations of its own (no global
 * barrier), it is ranked by its latest score against the latest scores of the others, and when it is in the bottom
 * quantile it <b>exploits</b> one drawn from the top quantile, copying its whole training state (weights and optimizer
 * state) and its configuration, and <b>explores</b> by perturbing that configuration's real-valued optimizer settings.
 * It keeps its own mst_key; each exploit is a lineage record.
 *
 * <p>Explore, per optimizer setting of the configuration that the grid searches (a distribution, or a list of
 * numbers): with probability resample_probability a fresh draw from the grid (the distribution, or any listed value);
 * otherwise a distribution's value times 0.8 or 1.2 (log_near_one: its distance from 1 times 0.8 or 1.2), clipped to
 * the distribution's bounds, or a list's neighbouring value below or above. Settings that are not numbers (the
 * optimizer's name, amsgrad, nesterov) and fit_params never change; a perturbation that would change the optimizer's
 * state layout (SGD momentum from 0 to non-zero) is undone, so the copied state always fits the new settings, which
 * apply to it in place ({@link TrainableModel#replaceCompileParams}): a new learning rate on the same Adam moments.
 *
 * <p>Deterministic: donors and perturbations come from one generator seeded at construction, used in call order; its
 * stream is derived from the seed ({@code new Random(new SplittableRandom(seed).nextLong())}), so it does not repeat
 * the draws of {@code new Random(seed)}, which draw the population (a resample would otherwise give back the
 * population's own values). Not thread-safe.
 */
public final class Pbt {

    /**
     * PBT's settings.
     *
     * @param population P: the configurations that train together
     * @param interval K: a configuration may exploit every K of its own iterations
     * @param iterations T: the iterations every configuration trains
     * @param quantile the fraction of the ranked population in the top (donors) and in the bottom (recipients)
     * @param resampleProbability the probability that explore draws a setting afresh instead of perturbing it
     */
    public record Params(int population, int interval, int iterations, double quantile, double resampleProbability) {
        /** The keys of automl_params for pbt. */
        static final List<String> KEYS = List.of("population", "interval", "iterations", "quantile", "resample_probability");

        /** Validates. */
        public Params {
            if (population < 2) {
                throw new IllegalArgumentException("pbt: population=" + population + " must be at least 2 so that one"
                        + " configuration can copy another; use e.g. population=8");
            }
            if (interval < 1) {
                throw new IllegalArgumentException("pbt: interval=" + interval + " must be at least 1; use e.g. interval=2");
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("pbt: iterations=" + iterations + " must be at least 1; use e.g. iterations=10");
            }
            if (interval >= iterations) {
                throw new IllegalArgumentException("pbt: interval=" + interval + " must be below iterations=" + iterations
                        + ", or no configuration ever exploits another; lower interval or raise iterations");
            }
            if (!(quantile > 0 && quantile <= 0.5)) {
                throw new IllegalArgumentException("pbt: quantile=" + quantile + " must be in (0, 0.5] so that the top and"
                        + " bottom quantiles do not overlap; use e.g. quantile=0.25");
            }
            if (!(resampleProbability >= 0 && resampleProbability <= 1)) {
                throw new IllegalArgumentException("pbt: resample_probability=" + resampleProbability + " must be in [0, 1];"
                        + " use e.g. resample_probability=0.25");
            }
        }

        /** Parses automl_params such as {@code "population=8, interval=2, iterations=10"}; those three are required. */
        public static Params parse(String automlParams) {
            Map<String, String> v = AutomlParams.parseText("pbt", automlParams, KEYS);
            for (String key : KEYS.subList(0, 3)) {
                if (!v.containsKey(key)) {
                    throw new IllegalArgumentException("pbt: automl_params has no " + key + "; write e.g. \"population=8,"
                            + " interval=2, iterations=10\"");
                }
            }
            return new Params(AutomlParams.integer("population", v.get("population")),
                    AutomlParams.integer("interval", v.get("interval")), AutomlParams.integer("iterations", v.get("iterations")),
                    v.containsKey("quantile") ? AutomlParams.number("quantile", v.get("quantile")) : 0.25,
                    v.containsKey("resample_probability")
                            ? AutomlParams.number("resample_probability", v.get("resample_probability")) : 0.25);
        }

        /** The automl_params string that gives these settings. */
        public String params() {
            return "population=" + population + ", interval=" + interval + ", iterations=" + iterations + ", quantile="
                    + quantile + ", resample_probability=" + resampleProbability;
        }

        /** How many of {@code ranked} configurations are in the top (and in the bottom): ceil(quantile * n), at most n / 2. */
        public int quantileSize(int ranked) {
            return Math.min(ranked / 2, (int) Math.ceil(quantile * ranked));
        }
    }

    /**
     * A configuration's latest result.
     *
     * @param mstKey the configuration
     * @param iteration the iterations it has trained
     * @param score its score then
     */
    public record Standing(int mstKey, int iteration, Score score) {
        /** Validates. */
        public Standing {
            Objects.requireNonNull(score, "score");
        }
    }

    /**
     * One setting explore changed.
     *
     * @param setting the optimizer setting's key, e.g. {@code lr}
     * @param from its value in the donor's configuration, as Python writes it
     * @param to its new value
     */
    public record Change(String setting, String from, String to) {
        /** As the lineage shows it: {@code lr 0.001 -> 0.0012}. */
        @Override
        public String toString() {
            return setting + " " + from + " -> " + to;
        }
    }

    /**
     * A configuration's new settings after explore.
     *
     * @param point the new point
     * @param changes the settings that differ from the donor's, in the search space's order
     */
    public record Explored(SearchSpace.Point point, List<Change> changes) {
        /** Copies. */
        public Explored {
            Objects.requireNonNull(point, "point");
            changes = List.copyOf(changes);
        }
    }

    /**
     * A lineage record: at its iteration {@code iteration}, configuration {@code mstKey} copied the state and settings
     * of {@code donorKey} (trained {@code donorIteration} iterations) and changed {@code changes}.
     *
     * @param mstKey the recipient
     * @param iteration the recipient's iterations when it exploited
     * @param donorKey the donor
     * @param donorIteration the donor's iterations then (those of the copied state)
     * @param changes the settings explore changed
     */
    public record Exploit(int mstKey, int iteration, int donorKey, int donorIteration, List<Change> changes) {
        /** Copies. */
        public Exploit {
            changes = List.copyOf(changes);
        }

        /** One line: {@code at 4 copied 3 (at 4); lr 0.001 -> 0.0012}. */
        public String describe() {
            StringBuilder b = new StringBuilder("at " + iteration + " copied " + donorKey + " (at " + donorIteration + ")");
            if (!changes.isEmpty()) {
                b.append("; ").append(String.join(", ", changes.stream().map(Change::toString).toList()));
            }
            return b.toString();
        }
    }

    /**
     * What an exploit gives the recipient: a copy of the donor's state and the explored configuration.
     *
     * @param state the donor's state bytes, copied (the same bits, another array)
     * @param entry the new configuration, numbered with the recipient's mst_key
     * @param point its point
     * @param record the lineage record
     */
    public record Step(byte[] state, MstEntry entry, SearchSpace.Point point, Exploit record) {
    }

    private final Params params;
    private final SearchSpace space;
    private final Random rng;

    /**
     * PBT over {@code space}.
     *
     * @throws IllegalArgumentException when the space has no optimizer setting to perturb
     */
    public Pbt(Params params, SearchSpace space, long seed) {
        this.params = Objects.requireNonNull(params, "params");
        this.space = Objects.requireNonNull(space, "space");
        this.rng = new Random(new SplittableRandom(seed).nextLong());
        if (space.dimensions().stream().noneMatch(Pbt::perturbable)) {
            throw new IllegalArgumentException("pbt: compile_params_grid has no optimizer setting with several numeric values"
                    + " to perturb; give one in optimizer_params_list, e.g. 'lr': [0.0001, 0.1, 'log']");
        }
    }

    /** The settings. */
    public Params params() {
        return params;
    }

    /** Whether explore may change dimension {@code d}: an optimizer setting that is a distribution or several numbers. */
    static boolean perturbable(SearchSpace.Dimension d) {
        if (!d.optimizerSetting()) {
            return false;
        }
        return d.domain() instanceof SearchSpace.Real || d.domain() instanceof SearchSpace.Categorical c && c.numeric() && c.size() > 1;
    }

    /** Whether a configuration that has trained {@code iteration} iterations is at one of its exploit points. */
    public boolean checkpoint(int iteration) {
        return iteration > 0 && iteration % params.interval() == 0 && iteration < params.iterations();
    }

    /**
     * The donor for configuration {@code mstKey} at a checkpoint: one drawn uniformly from the top quantile of the
     * ranked standings when {@code mstKey} is in the bottom quantile, else empty (it goes on as it is). Standings are
     * ranked best first ({@link Score#BEST_FIRST}, NaN last), ties to the smaller mst_key; fewer than two: no exploit.
     *
     * @param latest every configuration's latest standing, {@code mstKey}'s among them
     * @throws IllegalArgumentException when {@code mstKey} has no standing
     */
    public Optional<Standing> donor(int mstKey, List<Standing> latest) {
        List<Standing> ranked = new ArrayList<>(latest);
        ranked.sort(Comparator.comparing(Standing::score, Score.BEST_FIRST).thenComparingInt(Standing::mstKey));
        int at = -1;
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).mstKey() == mstKey) {
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("pbt: configuration " + mstKey + " has no standing; rank it with its latest score");
        }
        int q = params.quantileSize(ranked.size());
        if (q == 0 || at < ranked.size() - q) {
            return Optional.empty();
        }
        return Optional.of(ranked.get(rng.nextInt(q)));
    }

    /** Explore: the donor's point with its perturbable optimizer settings perturbed (see the class comment). */
    public Explored explore(SearchSpace.Point donor) {
        SearchSpace.Point point = donor;
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (!space.active(d, donor) || !perturbable(d)) {
                continue;
            }
            double old = donor.get(d.name());
            boolean resample = rng.nextDouble() < params.resampleProbability();
            double next;
            if (d.domain() instanceof SearchSpace.Real r) {
                double factor = rng.nextBoolean() ? 0.8 : 1.2;
                next = resample ? r.fromUnit(rng.nextDouble())
                        : r.clip(r.scale() == SearchSpace.Scale.LOG_NEAR_ONE ? 1 - (1 - old) * factor : old * factor);
            } else {
                int size = ((SearchSpace.Categorical) d.domain()).size();
                int step = rng.nextBoolean() ? -1 : 1;
                next = resample ? rng.nextInt(size) : Math.max(0, Math.min(size - 1, (int) old + step));
            }
            SearchSpace.Point candidate = point.with(d.name(), next);
            if (TrainableModel.sameStateLayout(optimizer(donor), optimizer(candidate))) {
                point = candidate;
            }
        }
        List<Change> changes = new ArrayList<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (point.values().containsKey(d.name())) {
                String from = space.label(d, donor);
                String to = space.label(d, point);
                if (!from.equals(to)) {
                    changes.add(new Change(d.key(), from, to));
                }
            }
        }
        return new Explored(point, changes);
    }

    private io.hopper.model.params.OptimizerSpec optimizer(SearchSpace.Point point) {
        return space.entry(point).parsedCompileParams().optimizer();
    }

    /**
     * Exploit and explore: configuration {@code recipient} at its iteration {@code iteration} takes a copy of the
     * donor's state and the donor's configuration, explored.
     *
     * @param donorState the donor's state (weights and optimizer state) at its standing's iteration
     * @param donorPoint the donor's configuration
     */
    public Step exploit(int recipient, int iteration, Standing donor, byte[] donorState, SearchSpace.Point donorPoint) {
        Explored explored = explore(donorPoint);
        MstEntry e = space.entry(explored.point());
        return new Step(donorState.clone(), new MstEntry(recipient, e.modelId(), e.compileParams(), e.fitParams()),
                explored.point(), new Exploit(recipient, iteration, donor.mstKey(), donor.iteration(), explored.changes()));
    }
}
