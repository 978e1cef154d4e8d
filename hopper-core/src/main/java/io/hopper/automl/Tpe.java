package io.hopper.automl;

import io.hopper.model.params.SearchSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio, Kegl, "Algorithms for Hyper-Parameter
 * Optimization", NIPS 2011) over a {@link SearchSpace}, as pure logic: the finished trials are split at the quantile
 * gamma of their losses into good and bad; per dimension, l(x) is a Parzen estimator of the good trials' values and
 * g(x) of the bad ones' (each with the dimension's prior as one more component); n_EI candidates are drawn from l and
 * the one that maximises l(x)/g(x) (which maximises expected improvement) is proposed. A dimension that is active only
 * under a parent's choice (a setting of one optimizer_params_list dict) is modelled on the trials in which it was
 * active, and proposed only when the parent's proposal activates it: the "tree" of the name.
 *
 * <p>Real dimensions are modelled on their internal axis (linear: x, log: log10 x, log_near_one: log10(1 - x)), where
 * the prior is uniform: a mixture of truncated normals on [lo, hi], one per observation with the larger gap to its
 * neighbours as width (clipped to [(hi - lo) / min(100, 1 + n), hi - lo]) and the prior's component N((lo + hi) / 2,
 * hi - lo) with weight prior_weight, as hyperopt's adaptive Parzen estimator does. Categorical dimensions: each
 * choice's count among the trials plus prior_weight. Until n_startup trials have finished, and for
 * algorithm=rand, proposals are draws from the prior (the grids' distributions).
 *
 * <p>Deterministic: every draw comes from the seed given, in the order of the calls; running trials are ignored, a
 * NaN loss (diverged) ranks below every finite one, and equal losses keep the trials' order. Not thread-safe.
 */
public final class Tpe {

    /**
     * TPE's settings.
     *
     * @param gamma the fraction of the finished trials in the good group (at least one trial)
     * @param eiCandidates n_EI: the candidates drawn from l(x) per dimension
     * @param startup the finished trials below which proposals are prior draws
     * @param priorWeight the weight of the prior's component in l and g
     */
    public record Settings(double gamma, int eiCandidates, int startup, double priorWeight) {
        /** Hyperopt's defaults except startup (hyperopt draws 20 at random first, MADlib's whole default search). */
        public static final Settings DEFAULTS = new Settings(0.25, 24, 5, 1.0);

        /** Validates. */
        public Settings {
            if (!(gamma > 0 && gamma < 1)) {
                throw new IllegalArgumentException("tpe: gamma=" + gamma + " must be in (0, 1); use e.g. gamma=0.25");
            }
            if (eiCandidates < 1) {
                throw new IllegalArgumentException("tpe: n_ei_candidates=" + eiCandidates + " must be at least 1; use e.g. 24");
            }
            if (startup < 1) {
                throw new IllegalArgumentException("tpe: n_startup=" + startup + " must be at least 1; use e.g. 5");
            }
            if (!(priorWeight > 0 && Double.isFinite(priorWeight))) {
                throw new IllegalArgumentException("tpe: prior_weight=" + priorWeight + " must be a finite number > 0; use 1.0");
            }
        }
    }

    /**
     * A trial: a proposed point and, once it finished, its loss (lower is better; NaN when it diverged).
     *
     * @param point the configuration
     * @param loss its loss, empty while it runs
     */
    public record Trial(SearchSpace.Point point, OptionalDouble loss) {
        /** Validates. */
        public Trial {
            Objects.requireNonNull(point, "point");
            Objects.requireNonNull(loss, "loss");
        }
    }

    private final SearchSpace space;
    private final Settings settings;
    private final boolean random;
    private final Random rng;

    /**
     * A TPE search of {@code space}.
     *
     * @param randomOnly draw every proposal from the prior (hyperopt's algorithm=rand)
     * @param seed the seed of every draw
     */
    public Tpe(SearchSpace space, Settings settings, boolean randomOnly, long seed) {
        this.space = Objects.requireNonNull(space, "space");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = randomOnly;
        this.rng = new Random(seed);
    }

    /** The space searched. */
    public SearchSpace space() {
        return space;
    }

    /** The next configuration to try, given every trial so far (finished or running). */
    public SearchSpace.Point propose(List<Trial> trials) {
        List<Trial> done = new ArrayList<>();
        for (Trial t : trials) {
            if (t.loss().isPresent()) {
                done.add(t);
            }
        }
        if (random || done.size() < settings.startup()) {
            return space.sample(rng);
        }
        List<Trial> sorted = new ArrayList<>(done);
        sorted.sort(Comparator.comparingDouble(t -> {
            double v = t.loss().getAsDouble();
            return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
        }));
        int good = Math.min(sorted.size(), Math.max(1, (int) Math.ceil(settings.gamma() * sorted.size())));
        List<SearchSpace.Point> below = sorted.subList(0, good).stream().map(Trial::point).toList();
        List<SearchSpace.Point> above = sorted.subList(good, sorted.size()).stream().map(Trial::point).toList();
        Map<String, Double> values = new LinkedHashMap<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (!space.active(d, new SearchSpace.Point(values))) {
                continue;
            }
            double[] l = observed(d, below);
            double[] g = observed(d, above);
            values.put(d.name(), d.domain() instanceof SearchSpace.Real r ? proposeReal(r, l, g)
                    : proposeChoice((SearchSpace.Categorical) d.domain(), l, g));
        }
        return new SearchSpace.Point(values);
    }

    /** The values of dimension {@code d} in the points where it was active, on its internal axis. */
    private static double[] observed(SearchSpace.Dimension d, List<SearchSpace.Point> points) {
        List<Double> out = new ArrayList<>();
        for (SearchSpace.Point p : points) {
            Double v = p.values().get(d.name());
            if (v != null) {
                out.add(d.domain() instanceof SearchSpace.Real r ? r.toInternal(v) : v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double proposeChoice(SearchSpace.Categorical c, double[] good, double[] bad) {
        double[] l = choiceProbabilities(c.size(), good);
        double[] g = choiceProbabilities(c.size(), bad);
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < settings.eiCandidates(); k++) {
            int candidate = draw(l);
            double score = Math.log(l[candidate]) - Math.log(g[candidate]);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /** Each choice's count plus prior_weight, normalised. */
    double[] choiceProbabilities(int size, double[] observed) {
        double[] p = new double[size];
        Arrays.fill(p, settings.priorWeight());
        for (double v : observed) {
            p[(int) v] += 1;
        }
        double sum = Arrays.stream(p).sum();
        for (int k = 0; k < size; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private int draw(double[] p) {
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int k = 0; k < p.length; k++) {
            cumulative += p[k];
            if (u < cumulative) {
                return k;
            }
        }
        return p.length - 1;
    }

    private double proposeReal(SearchSpace.Real r, double[] good, double[] bad) {
        Parzen l = Parzen.fit(good, r.internalLo(), r.internalHi(), settings.priorWeight());
        Parzen g = Parzen.fit(bad, r.internalLo(), r.internalHi(), settings.priorWeight());
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < settings.eiCandidates(); k++) {
            double z = l.sample(rng);
            double score = l.logDensity(z) - g.logDensity(z);
            if (score > bestScore || Double.isNaN(best)) {
                best = z;
                bestScore = score;
            }
        }
        return r.clip(r.fromInternal(best));
    }

    /**
     * An adaptive Parzen estimator on [lo, hi]: a weighted mixture of normals truncated to [lo, hi].
     *
     * @param mus the components' means (the prior's among them)
     * @param sigmas their widths
     * @param weights their weights, summing to 1
     * @param lo the lower bound
     * @param hi the upper bound
     */
    record Parzen(double[] mus, double[] sigmas, double[] weights, double lo, double hi) {
        /** The estimator of {@code observed} with the prior N((lo + hi) / 2, hi - lo) of weight priorWeight. */
        static Parzen fit(double[] observed, double lo, double hi, double priorWeight) {
            double priorMu = (lo + hi) / 2;
            double priorSigma = hi - lo;
            int n = observed.length;
            double[] mus = new double[n + 1];
            boolean[] prior = new boolean[n + 1];
            double[] sorted = observed.clone();
            Arrays.sort(sorted);
            int at = 0;
            boolean placed = false;
            for (int i = 0; i <= n; i++) {
                if (!placed && (at == n || priorMu <= sorted[at])) {
                    mus[i] = priorMu;
                    prior[i] = true;
                    placed = true;
                } else {
                    mus[i] = sorted[at++];
                }
            }
            double minSigma = priorSigma / Math.min(100.0, 1.0 + n);
            double[] sigmas = new double[n + 1];
            double[] weights = new double[n + 1];
            double total = n + priorWeight;
            for (int i = 0; i <= n; i++) {
                if (prior[i]) {
                    sigmas[i] = priorSigma;
                    weights[i] = priorWeight / total;
                    continue;
                }
                double left = i > 0 ? mus[i] - mus[i - 1] : mus[i] - lo;
                double right = i < n ? mus[i + 1] - mus[i] : hi - mus[i];
                sigmas[i] = Math.max(minSigma, Math.min(priorSigma, Math.max(left, right)));
                weights[i] = 1.0 / total;
            }
            return new Parzen(mus, sigmas, weights, lo, hi);
        }

        /** A draw: a component by weight, then its normal until the value falls in [lo, hi]. */
        double sample(Random rng) {
            double u = rng.nextDouble();
            double cumulative = 0;
            int k = weights.length - 1;
            for (int i = 0; i < weights.length; i++) {
                cumulative += weights[i];
                if (u < cumulative) {
                    k = i;
                    break;
                }
            }
            for (int attempt = 0; attempt < 1000; attempt++) {
                double z = mus[k] + sigmas[k] * rng.nextGaussian();
                if (z >= lo && z <= hi) {
                    return z;
                }
            }
            return Math.max(lo, Math.min(hi, mus[k]));
        }

        /** The log density at z of the mixture of truncated normals. */
        double logDensity(double z) {
            double sum = 0;
            for (int i = 0; i < mus.length; i++) {
                double mass = phi((hi - mus[i]) / sigmas[i]) - phi((lo - mus[i]) / sigmas[i]);
                double t = (z - mus[i]) / sigmas[i];
                sum += weights[i] * Math.exp(-0.5 * t * t) / (sigmas[i] * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
            }
            return Math.log(Math.max(sum, Double.MIN_NORMAL));
        }

        /** The standard normal's cumulative distribution. */
        static double phi(double x) {
            return 0.5 * (1 + erf(x / Math.sqrt(2)));
        }

        /** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
        static double erf(double x) {
            double t = 1 / (1 + 0.3275911 * Math.abs(x));
            double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                    * Math.exp(-x * x);
            return x >= 0 ? y : -y;
        }
    }
}
