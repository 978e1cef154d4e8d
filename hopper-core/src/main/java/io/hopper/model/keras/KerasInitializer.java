package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A Keras weight initializer that draws from a Java random stream; fans follow Keras's rule on the Keras-layout
 * shape (a kernel [kh, kw, in, out] has fan_in = kh*kw*in and fan_out = kh*kw*out).
 */
sealed interface KerasInitializer {

    /** Fills an array of the shape's size, row-major in the Keras layout. */
    float[] sample(Shape shape, SplittableRandom rng);

    /** Keras's Zeros. */
    KerasInitializer ZEROS = new Constant(0);
    /** Keras's Ones. */
    KerasInitializer ONES = new Constant(1);
    /** Keras's glorot_uniform, the default kernel initializer. */
    KerasInitializer GLOROT_UNIFORM = new VarianceScaling(1, "fan_avg", Distribution.UNIFORM);
    /** Keras's orthogonal, the default recurrent initializer. */
    KerasInitializer ORTHOGONAL = new Orthogonal(1);

    /** The distributions VarianceScaling draws from. */
    enum Distribution { UNIFORM, TRUNCATED_NORMAL, NORMAL }

    /** Every element equals the value. */
    record Constant(double value) implements KerasInitializer {
        /** Validates. */
        public Constant {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("Constant: value " + value + " is not finite; use a finite value");
            }
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            float[] out = new float[Math.toIntExact(shape.size())];
            java.util.Arrays.fill(out, (float) value);
            return out;
        }
    }

    /** Keras's VarianceScaling: scale / fan, uniform or (truncated) normal; glorot, he and lecun are instances. */
    record VarianceScaling(double scale, String mode, Distribution distribution) implements KerasInitializer {
        /** Validates mode and scale. */
        public VarianceScaling {
            if (!mode.equals("fan_in") && !mode.equals("fan_out") && !mode.equals("fan_avg")) {
                throw new IllegalArgumentException("VarianceScaling: mode '" + mode + "' is unknown; use fan_in, fan_out or fan_avg");
            }
            if (!(scale > 0)) {
                throw new IllegalArgumentException("VarianceScaling: scale " + scale + " is not positive; use a positive scale");
            }
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            double[] fans = fans(shape);
            double n = switch (mode) {
                case "fan_in" -> fans[0];
                case "fan_out" -> fans[1];
                default -> (fans[0] + fans[1]) / 2;
            };
            double variance = scale / Math.max(1, n);
            return switch (distribution) {
                case UNIFORM -> new RandomUniform(-Math.sqrt(3 * variance), Math.sqrt(3 * variance)).sample(shape, rng);
                // Keras's truncated normal at two standard deviations has this standard deviation correction.
                case TRUNCATED_NORMAL -> new TruncatedNormal(0, Math.sqrt(variance) / .87962566103423978).sample(shape, rng);
                case NORMAL -> new RandomNormal(0, Math.sqrt(variance)).sample(shape, rng);
            };
        }
    }

    /**
     * An initializer whose config gives its own seed: it draws from that seed whatever stream it is handed, so the weight
     * starts the same in every configuration of the architecture and whatever Hopper's run seed (as in Keras).
     */
    record Seeded(KerasInitializer inner, long seed) implements KerasInitializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            return inner.sample(shape, new SplittableRandom(Seeds.mix(seed, 0)));
        }
    }

    /**
     * LSTM's unit_forget_bias: the inner initializer for the input, cell and output gates, ones for the forget gate, which
     * follows {@code before} blocks (1 in LSTM's [i, f, c, o]; 5 in CuDNNLSTM's [input i, f, c, o, recurrent i, f, c, o]).
     */
    record UnitForgetBias(KerasInitializer inner, long units, int before) implements KerasInitializer {
        /** LSTM's bias [i, f, c, o]: the forget block is the second. */
        UnitForgetBias(KerasInitializer inner, long units) {
            this(inner, units, 1);
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            // before blocks from inner, the forget block of ones, then the last two blocks (c, o) from inner
            int u = (int) units;
            float[] out = new float[(before + 3) * u];
            System.arraycopy(inner.sample(new Shape((long) before * u), rng), 0, out, 0, before * u);
            java.util.Arrays.fill(out, before * u, (before + 1) * u, 1f);
            System.arraycopy(inner.sample(new Shape(2 * units), rng), 0, out, (before + 1) * u, 2 * u);
            return out;
        }
    }

    /** Keras's RandomNormal. */
    record RandomNormal(double mean, double stddev) implements KerasInitializer {
        /** Validates. */
        public RandomNormal {
            checkNormal("RandomNormal", mean, stddev);
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            float[] out = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (mean + stddev * gaussian(rng));
            }
            return out;
        }
    }

    /** Keras's RandomUniform on [min, max). */
    record RandomUniform(double min, double max) implements KerasInitializer {
        /** Validates. */
        public RandomUniform {
            if (!Double.isFinite(min) || !Double.isFinite(max) || max < min) {
                throw new IllegalArgumentException("RandomUniform: [" + min + ", " + max + ") is not a range; use finite minval <= maxval");
            }
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            float[] out = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (min + (max - min) * rng.nextDouble());
            }
            return out;
        }
    }

    /** Keras's TruncatedNormal: normal draws, redrawn while more than two standard deviations from the mean. */
    record TruncatedNormal(double mean, double stddev) implements KerasInitializer {
        /** Validates. */
        public TruncatedNormal {
            checkNormal("TruncatedNormal", mean, stddev);
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            float[] out = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < out.length; i++) {
                double g;
                do {
                    g = gaussian(rng);
                } while (Math.abs(g) > 2);
                out[i] = (float) (mean + stddev * g);
            }
            return out;
        }
    }

    /** Keras's Orthogonal: the Q of a Gaussian matrix [prod(shape[:-1]), shape[-1]], times gain. */
    record Orthogonal(double gain) implements KerasInitializer {
        /** Validates. */
        public Orthogonal {
            if (!Double.isFinite(gain)) {
                throw new IllegalArgumentException("Orthogonal: gain " + gain + " is not finite; use a finite gain");
            }
        }

        @Override
        public float[] sample(Shape shape, SplittableRandom rng) {
            int cols = Math.toIntExact(shape.get(shape.dimension() - 1));
            int rows = Math.toIntExact(shape.size() / cols);
            boolean flip = rows < cols;
            int n = flip ? cols : rows;
            int m = flip ? rows : cols;
            double[][] a = new double[m][n]; // m column vectors of length n, n >= m
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    a[j][i] = gaussian(rng);
                }
            }
            // Modified Gram-Schmidt gives Q with a positive diagonal R, which is Keras's q * sign(diag(r)).
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += a[k][i] * a[j][i];
                    }
                    for (int i = 0; i < n; i++) {
                        a[j][i] -= dot * a[k][i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += a[j][i] * a[j][i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    a[j][i] /= norm;
                }
            }
            float[] out = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[r * cols + c] = (float) (gain * (flip ? a[r][c] : a[c][r]));
                }
            }
            return out;
        }
    }

    private static void checkNormal(String what, double mean, double stddev) {
        if (!Double.isFinite(mean) || !Double.isFinite(stddev) || stddev < 0) {
            throw new IllegalArgumentException(what + ": mean " + mean + " / stddev " + stddev + " invalid; use a finite mean and stddev >= 0");
        }
    }

    /** Keras's fan_in and fan_out of a Keras-layout weight shape. */
    static double[] fans(Shape shape) {
        int d = shape.dimension();
        if (d == 0) {
            return new double[] {1, 1};
        }
        if (d == 1) {
            return new double[] {shape.get(0), shape.get(0)};
        }
        double receptive = 1;
        for (int i = 0; i < d - 2; i++) {
            receptive *= shape.get(i);
        }
        return new double[] {shape.get(d - 2) * receptive, shape.get(d - 1) * receptive};
    }

    /** A standard normal draw (Box-Muller), portable across JVM versions. */
    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Parses a serialized initializer (an object with class_name and config, or a name string). */
    static KerasInitializer parse(JsonNode node, LayerConfig layer, String key) {
        String cls;
        JsonNode cfg;
        if (node.isTextual()) {
            cls = node.asText();
            cfg = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        } else if (node.isObject() && node.path("class_name").isTextual()) {
            cls = node.get("class_name").asText();
            cfg = node.path("config");
        } else {
            throw layer.error("'" + key + "' is " + node + ", not an initializer; use a Keras initializer");
        }
        KerasInitializer init;
        try {
            init = of(cls.toLowerCase(Locale.ROOT).replace("_", ""), cfg);
        } catch (IllegalArgumentException e) {
            throw layer.error("'" + key + "': " + e.getMessage());
        }
        if (init != null && cfg.hasNonNull("seed")) {
            JsonNode seed = cfg.get("seed");
            if (!seed.isIntegralNumber()) {
                throw layer.error("'" + key + "' has seed " + seed + ", not an integer; set an integer seed or null");
            }
            init = new Seeded(init, seed.asLong());
        }
        if (init == null) {
            throw layer.error("'" + key + "' uses initializer '" + cls + "', which is not supported; use Zeros, Ones, "
                    + "Constant, GlorotUniform/Normal, HeUniform/Normal, LecunUniform/Normal, VarianceScaling, RandomNormal, "
                    + "RandomUniform, TruncatedNormal or Orthogonal");
        }
        return init;
    }

    /** The initializer of a lower-case class name without underscores, or null if there is none. */
    private static KerasInitializer of(String c, JsonNode cfg) {
        return switch (c) {
            case "zeros", "zero" -> ZEROS;
            case "ones", "one" -> ONES;
            case "constant" -> new Constant(cfg.path("value").asDouble(0));
            case "glorotuniform" -> GLOROT_UNIFORM;
            case "glorotnormal" -> new VarianceScaling(1, "fan_avg", Distribution.TRUNCATED_NORMAL);
            case "heuniform" -> new VarianceScaling(2, "fan_in", Distribution.UNIFORM);
            case "henormal" -> new VarianceScaling(2, "fan_in", Distribution.TRUNCATED_NORMAL);
            case "lecununiform" -> new VarianceScaling(1, "fan_in", Distribution.UNIFORM);
            case "lecunnormal" -> new VarianceScaling(1, "fan_in", Distribution.TRUNCATED_NORMAL);
            case "variancescaling" -> {
                String dist = cfg.path("distribution").asText("truncated_normal");
                Distribution d = switch (dist) {
                    case "uniform" -> Distribution.UNIFORM;
                    case "normal", "truncated_normal" -> Distribution.TRUNCATED_NORMAL;
                    case "untruncated_normal" -> Distribution.NORMAL;
                    default -> throw new IllegalArgumentException("VarianceScaling distribution '" + dist
                            + "' is unknown; use uniform, normal, truncated_normal or untruncated_normal");
                };
                yield new VarianceScaling(cfg.path("scale").asDouble(1), cfg.path("mode").asText("fan_in"), d);
            }
            case "randomnormal" -> new RandomNormal(cfg.path("mean").asDouble(0), cfg.path("stddev").asDouble(0.05));
            case "randomuniform" -> new RandomUniform(cfg.path("minval").asDouble(-0.05), cfg.path("maxval").asDouble(0.05));
            case "truncatednormal" -> new TruncatedNormal(cfg.path("mean").asDouble(0), cfg.path("stddev").asDouble(0.05));
            case "orthogonal" -> new Orthogonal(cfg.path("gain").asDouble(1));
            default -> null;
        };
    }
}
