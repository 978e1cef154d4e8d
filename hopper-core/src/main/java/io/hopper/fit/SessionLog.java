package io.hopper.fit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The course of a fit session as its checkpoint's {@code session} field: every unit result the loop took, in the
 * order it took them, and how many times the driver read each configuration's state.
 *
 * <p>A session's decisions (the driver's and the {@link io.hopper.mop.DynamicScheduler}'s) are a pure function of the
 * seed and the sequence of results, so a resumed session rebuilds them by replaying the results in this order without
 * running the units (see {@link UnitLoop}); only the states are not replayed: they come from the checkpoint.
 */
final class SessionLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionLog() {
    }

    /**
     * One unit result as the loop took it.
     *
     * @param mstKey the configuration
     * @param epoch its epoch (the unit's iteration)
     * @param partition the partition
     * @param evalTable the table an eval unit evaluated; empty for a train unit
     * @param loss the unit's loss (NaN or infinite when it diverged)
     * @param metric an eval unit's metric, if any
     * @param samples the samples the loss is over
     * @param failure why the unit failed on every attempt, when it did (then loss, metric and samples are unused)
     * @param outputLosses an eval unit's loss of each output of a multi-output model; else empty
     * @param outputMetrics an eval unit's metric of each output; else empty
     */
    record Event(int mstKey, int epoch, int partition, Optional<String> evalTable, double loss, OptionalDouble metric,
                 long samples, Optional<String> failure, List<Double> outputLosses, List<Double> outputMetrics) {
        /** A result without per-output values. */
        Event(int mstKey, int epoch, int partition, Optional<String> evalTable, double loss, OptionalDouble metric, long samples,
              Optional<String> failure) {
            this(mstKey, epoch, partition, evalTable, loss, metric, samples, failure, List.of(), List.of());
        }

        /** Validates and copies. */
        Event {
            outputLosses = List.copyOf(outputLosses);
            outputMetrics = List.copyOf(outputMetrics);
            Objects.requireNonNull(evalTable, "evalTable");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(failure, "failure");
            if (epoch < 1 || partition < 0 || samples < 0) {
                throw new IllegalArgumentException("session event: mst_key " + mstKey + " epoch " + epoch + " partition "
                        + partition + " samples " + samples + " is not a unit that ran");
            }
        }
    }

    /**
     * The decoded field.
     *
     * @param events every unit result, in order
     * @param reads by mst key, how many times the driver read the configuration's state ({@link FitSession.Control#state})
     */
    record Course(List<Event> events, Map<Integer, Integer> reads) {
        /** Copies. */
        Course {
            events = List.copyOf(events);
            reads = Map.copyOf(reads);
        }
    }

    /** The field's JSON: {@code {"events": [[mst_key, epoch, partition, table|null, loss, metric|null, samples, failure|null, [output losses], [output metrics]], ...], "reads": {"mst_key": count}}}. */
    static String encode(List<Event> events, Map<Integer, Integer> reads) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("events");
        for (Event e : events) {
            ArrayNode a = list.addArray().add(e.mstKey()).add(e.epoch()).add(e.partition());
            a.add(e.evalTable().orElse(null));
            number(a, e.loss());
            if (e.metric().isPresent()) {
                number(a, e.metric().getAsDouble());
            } else {
                a.addNull();
            }
            a.add(e.samples());
            a.add(e.failure().orElse(null));
            ArrayNode losses = a.addArray();
            e.outputLosses().forEach(v -> number(losses, v));
            ArrayNode metrics = a.addArray();
            e.outputMetrics().forEach(v -> number(metrics, v));
        }
        ObjectNode counts = root.putObject("reads");
        new TreeMap<>(reads).forEach((k, v) -> counts.put(Integer.toString(k), v));
        return root.toString();
    }

    /**
     * The course in a checkpoint's field.
     *
     * @throws IllegalArgumentException when the field is not a session's course
     */
    static Course decode(String field) {
        try {
            JsonNode root = JSON.readTree(field);
            if (root == null || !root.path("events").isArray() || !root.path("reads").isObject()) {
                throw new IllegalArgumentException("its session field is not a session's course");
            }
            List<Event> events = new ArrayList<>();
            for (JsonNode a : root.path("events")) {
                events.add(new Event(a.get(0).intValue(), a.get(1).intValue(), a.get(2).intValue(),
                        a.get(3).isNull() ? Optional.empty() : Optional.of(a.get(3).textValue()), number(a.get(4)),
                        a.get(5).isNull() ? OptionalDouble.empty() : OptionalDouble.of(number(a.get(5))), a.get(6).longValue(),
                        a.get(7).isNull() ? Optional.empty() : Optional.of(a.get(7).textValue()), numbers(a.get(8)), numbers(a.get(9))));
            }
            Map<Integer, Integer> counts = new TreeMap<>();
            root.path("reads").fields().forEachRemaining(e -> counts.put(Integer.parseInt(e.getKey()), e.getValue().intValue()));
            return new Course(events, counts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("its session field cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A double as a JSON number, NaN and the infinities as the strings Java prints for them. */
    private static void number(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.add(Double.toString(v));
        }
    }

    private static List<Double> numbers(JsonNode a) {
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("a list of numbers is missing");
        }
        List<Double> values = new ArrayList<>();
        a.forEach(n -> values.add(number(n)));
        return values;
    }

    private static double number(JsonNode n) {
        if (n.isTextual()) {
            return Double.parseDouble(n.textValue());
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("a number is missing");
        }
        return n.doubleValue();
    }
}
