package io.hopper.model.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * The configuration space of generate_model_configs' two grids as dimensions a search can model: the model id, every
 * compile and fit key with its choices, which optimizer_params_list dict, and each setting of each dict (a
 * distribution or choices) active only when its dict is chosen. A {@link Point} assigns the active dimensions;
 * {@link #entry} renders it as a canonical mst row. Built by {@link ConfigGrid#space}.
 *
 * <p>{@link #sample} draws a point from the grids' own distributions with the same draws, in the same order, as
 * {@link ConfigGrid#randomSearch}: model id, compile keys as written (the dict, then its settings), fit keys.
 */
public final class SearchSpace {

    /** How a real-valued distribution [lo, hi, scale] spreads its draws. */
    public enum Scale {
        /** Uniform on [lo, hi). */
        LINEAR,
        /** 10^U(log10 lo, log10 hi). */
        LOG,
        /** 1 - 10^U(log10(1 - hi), log10(1 - lo)). */
        LOG_NEAR_ONE
    }

    /** The values a dimension takes. */
    public sealed interface Domain permits Categorical, Real {
    }

    /**
     * A choice among listed values.
     *
     * @param labels each value as Python writes it, in the grid's order
     * @param numbers each value as a number when every value is one (empty otherwise)
     */
    public record Categorical(List<String> labels, List<Double> numbers) implements Domain {
        /** Validates. */
        public Categorical {
            labels = List.copyOf(labels);
            numbers = List.copyOf(numbers);
            if (labels.isEmpty() || !(numbers.isEmpty() || numbers.size() == labels.size())) {
                throw new IllegalArgumentException("search space: " + labels.size() + " labels and " + numbers.size()
                        + " numbers; give at least one label and a number for every label or none");
            }
        }

        /** How many values. */
        public int size() {
            return labels.size();
        }

        /** Whether every value is a number. */
        public boolean numeric() {
            return !numbers.isEmpty();
        }
    }

    /**
     * A real-valued distribution, modelled on its internal axis: x itself (linear), log10 x (log) or log10(1 - x)
     * (log_near_one), on which the grid's distribution is uniform.
     *
     * @param lo the lower bound
     * @param hi the upper bound (above lo)
     * @param scale how draws spread
     */
    public record Real(double lo, double hi, Scale scale) implements Domain {
        /** Validates. */
        public Real {
            Objects.requireNonNull(scale, "scale");
            if (!(lo < hi) || scale == Scale.LOG && lo <= 0 || scale == Scale.LOG_NEAR_ONE && hi >= 1) {
                throw new IllegalArgumentException("search space: [" + lo + ", " + hi + ", " + scale
                        + "] is not a distribution; need lo < hi, lo > 0 for log and hi < 1 for log_near_one");
            }
        }

        /** A draw: the grid's distribution applied to a uniform u in [0, 1). */
        public double fromUnit(double u) {
            return switch (scale) {
                case LINEAR -> lo + u * (hi - lo);
                case LOG -> Math.pow(10, Math.log10(lo) + u * (Math.log10(hi) - Math.log10(lo)));
                case LOG_NEAR_ONE -> 1 - Math.pow(10, Math.log10(1 - hi) + u * (Math.log10(1 - lo) - Math.log10(1 - hi)));
            };
        }

        /** x on the internal axis. */
        public double toInternal(double x) {
            return switch (scale) {
                case LINEAR -> x;
                case LOG -> Math.log10(x);
                case LOG_NEAR_ONE -> Math.log10(1 - x);
            };
        }

        /** The value at internal coordinate z. */
        public double fromInternal(double z) {
            return switch (scale) {
                case LINEAR -> z;
                case LOG -> Math.pow(10, z);
                case LOG_NEAR_ONE -> 1 - Math.pow(10, z);
            };
        }

        /** The smaller end of the internal axis. */
        public double internalLo() {
            return Math.min(toInternal(lo), toInternal(hi));
        }

        /** The larger end of the internal axis. */
        public double internalHi() {
            return Math.max(toInternal(lo), toInternal(hi));
        }

        /** x clipped into [lo, hi]. */
        public double clip(double x) {
            return Math.max(lo, Math.min(hi, x));
        }
    }

    /**
     * The dimension {@code dimension} must have taken choice {@code choice} for a dimension to be active.
     *
     * @param dimension the parent dimension's name
     * @param choice the parent's choice index
     */
    public record Condition(String dimension, int choice) {
    }

    /**
     * One dimension.
     *
     * @param name a unique name: {@code model_id}, a compile or fit key, {@code optimizer_params_list}, or
     *     {@code optimizer_params_list[i].key} for a setting of dict i (from 0)
     * @param key the compile or fit key, or the optimizer setting's key (e.g. {@code lr})
     * @param domain its values
     * @param condition when it is active (always when empty)
     * @param optimizerSetting whether it is a setting of an optimizer (inside optimizer_params_list) other than its name
     */
    public record Dimension(String name, String key, Domain domain, Optional<Condition> condition, boolean optimizerSetting) {
        /** Validates. */
        public Dimension {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(condition, "condition");
        }
    }

    /**
     * A configuration: the value of every active dimension by name, a categorical one as its choice index.
     *
     * @param values the values
     */
    public record Point(Map<String, Double> values) {
        /** Copies (keeping the order written). */
        public Point {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The value of dimension {@code name}. */
        public double get(String name) {
            Double v = values.get(name);
            if (v == null) {
                throw new IllegalStateException("search space: point " + values + " has no value for '" + name + "'");
            }
            return v;
        }

        /** The choice index of categorical dimension {@code name}. */
        public int choice(String name) {
            return (int) get(name);
        }

        /** This point with dimension {@code name} set to {@code value}. */
        public Point with(String name, double value) {
            Map<String, Double> next = new LinkedHashMap<>(values);
            next.put(name, value);
            return new Point(next);
        }
    }

    private final List<Dimension> dimensions;
    private final Function<Point, MstEntry> renderer;

    SearchSpace(List<Dimension> dimensions, Function<Point, MstEntry> renderer) {
        this.dimensions = List.copyOf(dimensions);
        this.renderer = renderer;
    }

    /** The dimensions, parents before the dimensions they condition. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** The dimension named {@code name}. */
    public Dimension dimension(String name) {
        return dimensions.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("search space: no dimension '" + name + "'"));
    }

    /** Whether {@code d} is active in a point that holds its parents. */
    public boolean active(Dimension d, Point point) {
        return d.condition().map(c -> point.values().containsKey(c.dimension()) && point.choice(c.dimension()) == c.choice())
                .orElse(true);
    }

    /** A draw from the grids' distributions (choices uniform), with random search's draws. */
    public Point sample(Random random) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Dimension d : dimensions) {
            if (!active(d, new Point(values))) {
                continue;
            }
            values.put(d.name(), d.domain() instanceof Real r ? r.fromUnit(random.nextDouble())
                    : (double) random.nextInt(((Categorical) d.domain()).size()));
        }
        return new Point(values);
    }

    /**
     * The mst row (numbered 1) of a point: canonical compile_params and fit_params.
     *
     * @throws IllegalArgumentException when the point misses an active dimension or the configuration is not valid
     */
    public MstEntry entry(Point point) {
        for (Dimension d : dimensions) {
            if (active(d, point) && !point.values().containsKey(d.name())) {
                throw new IllegalArgumentException("search space: point " + point.values() + " has no value for '" + d.name()
                        + "'; give every active dimension a value");
            }
        }
        return renderer.apply(point);
    }

    /** The point's value of a dimension as a label: the choice's label, or the number as Python writes it. */
    public String label(Dimension d, Point point) {
        double v = point.get(d.name());
        return d.domain() instanceof Categorical c ? c.labels().get((int) v) : PyFormat.number(v);
    }

    /** Every dimension's name, for messages. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        dimensions.forEach(d -> names.add(d.name()));
        return "SearchSpace" + names;
    }
}
