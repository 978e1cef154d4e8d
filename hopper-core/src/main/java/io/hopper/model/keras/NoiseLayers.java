package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Keras's noise and image augmentation layers: GaussianNoise, GaussianDropout, RandomFlip, RandomContrast,
 * RandomRotation, RandomZoom and RandomTranslation. In training they draw from the step's seed (one stream per layer
 * call, samples in order), so hopping does not change them; at evaluation and prediction they return their input.
 * The geometric ones sample the image through Keras's projective transforms (output pixel (x, y) reads input
 * (a0 x + a1 y + a2, b0 x + b1 y + b2)) with fill_mode reflect, wrap, nearest or constant and bilinear or nearest
 * interpolation, as TensorFlow's ImageProjectiveTransform does.
 */
final class NoiseLayers {
    private NoiseLayers() {
    }

    /** Which layer. */
    enum Kind { GAUSSIAN_NOISE, GAUSSIAN_DROPOUT, FLIP, CONTRAST, ROTATION, ZOOM, TRANSLATION }

    /** One noise or augmentation layer. */
    static final class Noise extends Layer.Single {
        private final Kind kind;
        private final double amount;
        private final boolean horizontal;
        private final boolean vertical;
        private final double[] heightRange;
        private final double[] widthRange;
        private final double[] valueRange;
        private final String fillMode;
        private final boolean bilinear;
        private final float fillValue;
        private final boolean channelsFirst;

        Noise(LayerConfig c, Kind kind) {
            super(c);
            this.kind = kind;
            amount = switch (kind) {
                case GAUSSIAN_NOISE -> nonNegative(c, "stddev");
                case GAUSSIAN_DROPOUT -> {
                    double r = nonNegative(c, "rate");
                    if (r >= 1) {
                        throw c.error("rate " + r + " is not in [0, 1); set a rate in [0, 1)");
                    }
                    yield r;
                }
                default -> 0;
            };
            String mode = kind == Kind.FLIP ? c.stringOr("mode", "horizontal_and_vertical") : "";
            if (kind == Kind.FLIP && !List.of("horizontal", "vertical", "horizontal_and_vertical").contains(mode)) {
                throw c.error("mode '" + mode + "' is unknown; use horizontal, vertical or horizontal_and_vertical");
            }
            horizontal = mode.startsWith("horizontal");
            vertical = mode.endsWith("vertical");
            heightRange = switch (kind) {
                case CONTRAST, ROTATION -> range(c, "factor", true);
                case ZOOM, TRANSLATION -> range(c, "height_factor", true);
                default -> null;
            };
            widthRange = kind == Kind.ZOOM || kind == Kind.TRANSLATION ? range(c, "width_factor", kind == Kind.TRANSLATION) : null;
            valueRange = kind == Kind.CONTRAST && c.has("value_range") ? range(c, "value_range", true) : null;
            fillMode = c.stringOr("fill_mode", "reflect");
            if (!List.of("reflect", "wrap", "nearest", "constant").contains(fillMode)) {
                throw c.error("fill_mode '" + fillMode + "' is unknown; use reflect, wrap, nearest or constant");
            }
            String interpolation = c.stringOr("interpolation", "bilinear");
            if (!interpolation.equals("bilinear") && !interpolation.equals("nearest")) {
                throw c.error("interpolation '" + interpolation + "' is not supported; use bilinear or nearest");
            }
            bilinear = interpolation.equals("bilinear");
            fillValue = (float) c.doubleOr("fill_value", 0);
            channelsFirst = kind.ordinal() >= Kind.FLIP.ordinal() && c.channelsFirst();
        }

        private static double nonNegative(LayerConfig c, String key) {
            double v = c.doubleOr(key, Double.NaN);
            if (!(v >= 0)) {
                throw c.error("'" + key + "' is " + c.node(key) + "; set a number >= 0");
            }
            return v;
        }

        /** A factor given as f (the range [-f, f]) or [lower, upper]; null when absent and optional. */
        private static double[] range(LayerConfig c, String key, boolean required) {
            JsonNode v = c.node(key);
            if (v == null || v.isNull()) {
                if (required) {
                    throw c.error("'" + key + "' is missing; set a number or [lower, upper]");
                }
                return null;
            }
            if (v.isNumber()) {
                return new double[] {-v.asDouble(), v.asDouble()};
            }
            if (v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber() && v.get(0).asDouble() <= v.get(1).asDouble()) {
                return new double[] {v.get(0).asDouble(), v.get(1).asDouble()};
            }
            throw c.error("'" + key + "' is " + v + "; set a number or [lower, upper] with lower <= upper");
        }

        @Override
        Shape outputShape(Shape in) {
            if (kind.ordinal() >= Kind.FLIP.ordinal()) {
                requireRank(in, 3);
                if (kind != Kind.FLIP && kind != Kind.CONTRAST) {
                    known(in.get(channelsFirst ? 1 : 0), "the image height");
                    known(in.get(channelsFirst ? 2 : 1), "the image width");
                }
            }
            return in;
        }

        @Override
        boolean passesMask() {
            return kind == Kind.GAUSSIAN_NOISE || kind == Kind.GAUSSIAN_DROPOUT;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            if (!ctx.training()) {
                return x;
            }
            SplittableRandom rng = ctx.random();
            return switch (kind) {
                case GAUSSIAN_NOISE -> amount == 0 ? x : x.add(gaussian(x, rng, amount, 0));
                case GAUSSIAN_DROPOUT -> amount == 0 ? x : x.mul(gaussian(x, rng, Math.sqrt(amount / (1 - amount)), 1));
                default -> {
                    NDArray nhwc = channelsFirst ? x.transpose(0, 2, 3, 1) : x;
                    NDArray y = switch (kind) {
                        case FLIP -> flip(nhwc, rng);
                        case CONTRAST -> contrast(nhwc, rng);
                        default -> transform(nhwc, transforms(nhwc.getShape(), rng));
                    };
                    yield channelsFirst ? y.transpose(0, 3, 1, 2) : y;
                }
            };
        }

        private static NDArray gaussian(NDArray like, SplittableRandom rng, double stddev, double mean) {
            float[] g = new float[Math.toIntExact(like.getShape().size())];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (mean + stddev * KerasInitializer.gaussian(rng));
            }
            return like.getManager().create(g, like.getShape()).toType(like.getDataType(), false);
        }

        private NDArray flip(NDArray x, SplittableRandom rng) {
            long batch = x.getShape().get(0);
            float[] h = new float[(int) batch];
            float[] v = new float[(int) batch];
            for (int b = 0; b < batch; b++) {
                h[b] = horizontal && rng.nextDouble() < 0.5 ? 1f : 0f;
                v[b] = vertical && rng.nextDouble() < 0.5 ? 1f : 0f;
            }
            Shape s = new Shape(batch, 1, 1, 1);
            NDArray hm = x.getManager().create(h, s);
            NDArray vm = x.getManager().create(v, s);
            NDArray y = x.flip(2).mul(hm).add(x.mul(hm.neg().add(1f)));
            return y.flip(1).mul(vm).add(y.mul(vm.neg().add(1f)));
        }

        private NDArray contrast(NDArray x, SplittableRandom rng) {
            long batch = x.getShape().get(0);
            float[] f = new float[(int) batch];
            for (int b = 0; b < batch; b++) {
                f[b] = (float) (1 + heightRange[0] + (heightRange[1] - heightRange[0]) * rng.nextDouble());
            }
            NDArray mean = NormalizationLayers.meanKeep(x, 1, 2);
            NDArray y = x.sub(mean).mul(x.getManager().create(f, new Shape(batch, 1, 1, 1))).add(mean);
            return valueRange == null ? y : y.clip(valueRange[0], valueRange[1]);
        }

        private double uniform(SplittableRandom rng, double[] r) {
            return r[0] + (r[1] - r[0]) * rng.nextDouble();
        }

        /** One transform [a0, a1, a2, b0, b1, b2] per sample, drawn in sample order. */
        private double[][] transforms(Shape s, SplittableRandom rng) {
            int batch = (int) s.get(0);
            double h = s.get(1);
            double wd = s.get(2);
            double[][] t = new double[batch][];
            for (int b = 0; b < batch; b++) {
                t[b] = switch (kind) {
                    case ROTATION -> {
                        double a = uniform(rng, heightRange) * 2 * Math.PI;
                        double cos = Math.cos(a);
                        double sin = Math.sin(a);
                        yield new double[] {cos, -sin, ((wd - 1) - (cos * (wd - 1) - sin * (h - 1))) / 2,
                            sin, cos, ((h - 1) - (sin * (wd - 1) + cos * (h - 1))) / 2};
                    }
                    case ZOOM -> {
                        double zy = 1 + uniform(rng, heightRange);
                        double zx = widthRange == null ? zy : 1 + uniform(rng, widthRange);
                        yield new double[] {zx, 0, (wd - 1) / 2 * (1 - zx), 0, zy, (h - 1) / 2 * (1 - zy)};
                    }
                    default -> {
                        double dy = uniform(rng, heightRange) * h;
                        double dx = uniform(rng, widthRange) * wd;
                        yield new double[] {1, 0, -dx, 0, 1, -dy};
                    }
                };
            }
            return t;
        }

        /** TensorFlow's map_coordinate for the fill modes other than constant (constant leaves the coordinate as is). */
        private double mapCoordinate(double in, long len) {
            switch (fillMode) {
                case "reflect" -> {
                    if (len <= 1) {
                        return 0;
                    }
                    double sz2 = 2.0 * len;
                    if (in < 0) {
                        if (in < -sz2) {
                            in = sz2 * (long) (-in / sz2) + in;
                        }
                        in = in < -len ? in + sz2 : -in - 1;
                    } else if (in > len - 1) {
                        in -= sz2 * (long) (in / sz2);
                        if (in >= len) {
                            in = sz2 - in - 1;
                        }
                    }
                    return Math.min(Math.max(in, 0), len - 1);
                }
                case "wrap" -> {
                    if (len <= 1) {
                        return 0;
                    }
                    double sz = len - 1;
                    if (in < 0) {
                        in += sz * ((long) (-in / sz) + 1);
                    } else if (in > len - 1) {
                        in -= sz * (long) (in / sz);
                    }
                    return Math.min(Math.max(in, 0), len - 1);
                }
                case "nearest" -> {
                    return Math.min(Math.max(in, 0), len - 1);
                }
                default -> {
                    return in;
                }
            }
        }

        /** Samples every image through its transform: a weighted sum of gathered corners plus fill_value where they fall outside. */
        private NDArray transform(NDArray x, double[][] t) {
            Shape s = x.getShape();
            int batch = (int) s.get(0);
            int h = (int) s.get(1);
            int wd = (int) s.get(2);
            long ch = s.get(3);
            int corners = bilinear ? 4 : 1;
            int pixels = h * wd;
            long[][] index = new long[corners][batch * pixels];
            float[][] weight = new float[corners][batch * pixels];
            float[] fill = new float[batch * pixels];
            for (int b = 0; b < batch; b++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < wd; xx++) {
                        int at = b * pixels + y * wd + xx;
                        double ix = mapCoordinate(t[b][0] * xx + t[b][1] * y + t[b][2], wd);
                        double iy = mapCoordinate(t[b][3] * xx + t[b][4] * y + t[b][5], h);
                        if (!bilinear) {
                            set(index, weight, fill, 0, at, b * pixels, (long) Math.rint(iy), (long) Math.rint(ix), h, wd, 1);
                            continue;
                        }
                        double x0 = Math.floor(ix);
                        double y0 = Math.floor(iy);
                        double fx = ix - x0;
                        double fy = iy - y0;
                        set(index, weight, fill, 0, at, b * pixels, (long) y0, (long) x0, h, wd, (1 - fy) * (1 - fx));
                        set(index, weight, fill, 1, at, b * pixels, (long) y0, (long) x0 + 1, h, wd, (1 - fy) * fx);
                        set(index, weight, fill, 2, at, b * pixels, (long) y0 + 1, (long) x0, h, wd, fy * (1 - fx));
                        set(index, weight, fill, 3, at, b * pixels, (long) y0 + 1, (long) x0 + 1, h, wd, fy * fx);
                    }
                }
            }
            NDArray flat = x.reshape((long) batch * pixels, ch);
            NDArray out = null;
            for (int k = 0; k < corners; k++) {
                NDArray gathered = flat.get(x.getManager().create(index[k]));
                NDArray term = gathered.mul(x.getManager().create(weight[k], new Shape((long) batch * pixels, 1)));
                out = out == null ? term : out.add(term);
            }
            if (fillValue != 0) {
                out = out.add(x.getManager().create(fill, new Shape((long) batch * pixels, 1)).mul(fillValue));
            }
            return out.reshape(s).toType(x.getDataType(), false);
        }

        private static void set(long[][] index, float[][] weight, float[] fill, int corner, int at, int base, long y, long x, int h, int wd,
                double wgt) {
            if (y < 0 || y >= h || x < 0 || x >= wd) {
                index[corner][at] = base;
                weight[corner][at] = 0;
                fill[at] += (float) wgt;
            } else {
                index[corner][at] = base + y * wd + x;
                weight[corner][at] = (float) wgt;
            }
        }
    }
}
