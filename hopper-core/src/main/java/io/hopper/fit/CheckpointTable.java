package io.hopper.fit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.TableNames;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The checkpoint of a running fit as the table {@code <out>_checkpoint} (docs/store-format.md, "Checkpoints"): a
 * run row (mst_key null, state null, meta the run's JSON) followed by one row per configuration in mst order (its
 * key, its state bytes, its JSON), then, for a session, a row per configuration whose read state differs from its
 * state (its key, those bytes, meta {@code {"read_state":true}}). The one codec of {@link Checkpoint}; the table is written with the store's
 * atomic replace, so a reader finds the previous checkpoint or the new one, never a mix.
 */
public final class CheckpointTable {
    /** The format name in the run row. */
    public static final String FORMAT = "hopper-checkpoint";
    /** The format version this Hopper writes and reads. */
    public static final int VERSION = 1;
    /** The columns. */
    public static final Schema SCHEMA = Schema.of(
            "mst_key", ColumnType.INT,
            "state", ColumnType.BYTES,
            "meta", ColumnType.TEXT);
    /** The meta of a row that holds a session configuration's read state (after the configuration rows). */
    static final String READ_META = "{\"read_state\":true}";
    /** The suffix of the table's name. */
    public static final String SUFFIX = "_checkpoint";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointTable() {
    }

    /** The checkpoint table of model output table {@code out}. */
    public static String name(String out) {
        TableNames.requireTable(out);
        return out + SUFFIX;
    }

    /** Writes (or replaces) the checkpoint of {@code out} in one atomic step. */
    public static void write(Store store, String out, Checkpoint checkpoint) {
        store.replace(name(out), SCHEMA, encode(checkpoint));
    }

    /** The checkpoint of {@code out}, if there is one. */
    public static Optional<Checkpoint> read(Store store, String out) {
        String table = name(out);
        if (!store.exists(table)) {
            return Optional.empty();
        }
        if (!store.schema(table).equals(SCHEMA)) {
            throw new IllegalArgumentException("table '" + table + "' is not a Hopper checkpoint (columns " + store.schema(table).names()
                    + "); drop it with `hopper table drop " + table + "` or choose another model output table");
        }
        return Optional.of(decode(table, store.readAll(table)));
    }

    /** Removes the checkpoint of {@code out} inside {@code op}, which locked it, when there is one (the run completed). */
    public static void remove(StoreOperation op, String out) {
        if (op.exists(name(out))) {
            op.drop(name(out));
        }
    }

    /** Removes the checkpoint of {@code out} when there is one (the run completed). */
    public static void remove(Store store, String out) {
        if (store.exists(name(out))) {
            store.drop(name(out));
        }
    }

    // ---------------------------------------------------------------- encoding

    /** The rows of a checkpoint: the run row, then one per configuration. */
    static List<Row> encode(Checkpoint c) {
        ObjectNode run = JSON.createObjectNode();
        run.put("format", FORMAT);
        run.put("version", VERSION);
        run.put("attempt", c.attempt());
        run.put("completed_iterations", c.completedIterations());
        run.put("elapsed_ms", c.elapsedMs());
        c.arguments().forEach(run.putObject("arguments")::put);
        c.fingerprints().forEach(run.putObject("fingerprints")::put);
        ArrayNode schedule = run.putArray("schedule");
        for (Checkpoint.ScheduledUnit u : c.schedule()) {
            schedule.addArray().add(u.mstKey()).add(u.iteration()).add(u.partition()).add(u.worker()).add(u.phase())
                    .add(u.startMs()).add(u.endMs()).add(u.executor()).add(u.attempt());
        }
        run.put("session", c.session());
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(null, null, run.toString()));
        for (Checkpoint.ConfigState s : c.configs()) {
            ObjectNode meta = JSON.createObjectNode();
            ArrayNode ordersFixed = meta.putArray("visit_orders");
            for (List<Integer> o : s.visitOrders()) {
                ArrayNode a = ordersFixed.addArray();
                o.forEach(a::add);
            }
            putInt(meta, "diverged_at", s.divergedAt());
            putInt(meta, "failed_at", s.failedAt());
            meta.put("failure", s.failure().orElse(null));
            putDouble(meta, "latest_loss", s.latestLoss());
            Checkpoint.Metrics m = s.metrics();
            m.epochs().forEach(meta.putArray("metric_epochs")::add);
            putDoubles(meta, "elapsed", m.elapsed());
            putDoubles(meta, "training_loss", m.trainingLoss());
            putDoubles(meta, "training_metric", m.trainingMetric());
            putDoubles(meta, "validation_loss", m.validationLoss());
            putDoubles(meta, "validation_metric", m.validationMetric());
            m.perOutput().ifPresent(p -> {
                ObjectNode o = meta.putObject("per_output");
                p.names().forEach(o.putArray("names")::add);
                putDoubles(o, "training_loss", p.trainingLoss());
                putDoubles(o, "training_metric", p.trainingMetric());
                putDoubles(o, "validation_loss", p.validationLoss());
                putDoubles(o, "validation_metric", p.validationMetric());
            });
            rows.add(Row.of(s.mstKey(), s.state(), meta.toString()));
        }
        for (Checkpoint.ConfigState s : c.configs()) {
            s.readState().ifPresent(h -> rows.add(Row.of(s.mstKey(), h, READ_META)));
        }
        return rows;
    }

    /** A checkpoint from its rows; IllegalArgumentException naming the table when they are not one. */
    static Checkpoint decode(String table, List<Row> rows) {
        Function<String, IllegalArgumentException> damaged = why -> new IllegalArgumentException("checkpoint '" + table
                + "' is damaged (" + why + "); discard it with `hopper table drop " + table + "` and run the fit again");
        if (rows.isEmpty() || rows.get(0).get(0) != null) {
            throw damaged.apply("its first row is not the run row");
        }
        try {
            JsonNode run = JSON.readTree((String) rows.get(0).get(2));
            if (!FORMAT.equals(run.path("format").asText())) {
                throw damaged.apply("format is not " + FORMAT);
            }
            int version = run.path("version").asInt();
            if (version > VERSION) {
                throw new IllegalArgumentException("checkpoint '" + table + "' was written in format version " + version
                        + " by a newer Hopper (this one reads up to " + VERSION + "); upgrade Hopper to resume it");
            }
            List<Checkpoint.ScheduledUnit> schedule = new ArrayList<>();
            for (JsonNode u : run.path("schedule")) {
                schedule.add(new Checkpoint.ScheduledUnit(u.get(0).intValue(), u.get(1).intValue(), u.get(2).intValue(), u.get(3).intValue(),
                        u.get(4).textValue(), u.get(5).doubleValue(), u.get(6).doubleValue(), u.get(7).textValue(), u.get(8).intValue()));
            }
            List<Checkpoint.ConfigState> configs = new ArrayList<>();
            Map<Integer, byte[]> read = new TreeMap<>();
            for (Row r : rows.subList(1, rows.size())) {
                if (r.get(0) == null || r.get(1) == null) {
                    throw damaged.apply("a configuration row has no mst_key or no state");
                }
                if (READ_META.equals(r.get(2))) {
                    read.put((Integer) r.get(0), (byte[]) r.get(1));
                    continue;
                }
                JsonNode meta = JSON.readTree((String) r.get(2));
                List<List<Integer>> orders = new ArrayList<>();
                for (JsonNode o : meta.path("visit_orders")) {
                    List<Integer> order = new ArrayList<>();
                    o.forEach(p -> order.add(p.intValue()));
                    orders.add(order);
                }
                JsonNode failure = meta.path("failure");
                configs.add(new Checkpoint.ConfigState((Integer) r.get(0), (byte[]) r.get(1), orders, getInt(meta, "diverged_at"),
                        getInt(meta, "failed_at"), failure.isTextual() ? Optional.of(failure.textValue()) : Optional.empty(),
                        getDouble(meta.path("latest_loss")),
                        new Checkpoint.Metrics(ints(meta.path("metric_epochs")), getDoubles(meta, "elapsed"), getDoubles(meta, "training_loss"),
                                getDoubles(meta, "training_metric"), getDoubles(meta, "validation_loss"),
                                getDoubles(meta, "validation_metric"), perOutput(meta.path("per_output")))));
            }
            for (int i = 0; i < configs.size(); i++) {
                configs.set(i, configs.get(i).withReadState(Optional.ofNullable(read.remove(configs.get(i).mstKey()))));
            }
            if (!read.isEmpty()) {
                throw damaged.apply("read states of configurations it does not hold: " + read.keySet());
            }
            return new Checkpoint(run.path("attempt").intValue(), run.path("completed_iterations").intValue(),
                    run.path("elapsed_ms").doubleValue(), strings(run.path("arguments")), strings(run.path("fingerprints")), configs,
                    schedule, run.path("session").asText(""));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("checkpoint '" + table + "'") ? e : damaged.apply(e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw damaged.apply(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A multi-output model's per-output values, when the configuration's JSON has them. */
    private static Optional<InfoRow.PerOutput> perOutput(JsonNode o) {
        if (!o.isObject()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        o.path("names").forEach(n -> names.add(n.textValue()));
        return Optional.of(new InfoRow.PerOutput(names, getDoubles(o, "training_loss"), getDoubles(o, "training_metric"),
                getDoubles(o, "validation_loss"), getDoubles(o, "validation_metric")));
    }

    private static void putInt(ObjectNode o, String name, OptionalInt value) {
        if (value.isPresent()) {
            o.put(name, value.getAsInt());
        } else {
            o.putNull(name);
        }
    }

    private static OptionalInt getInt(JsonNode o, String name) {
        JsonNode n = o.path(name);
        return n.isInt() ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
    }

    /** A double as a JSON number, or NaN and the infinities as the strings Java prints for them. */
    private static void putDouble(ObjectNode o, String name, double value) {
        if (Double.isFinite(value)) {
            o.put(name, value);
        } else {
            o.put(name, Double.toString(value));
        }
    }

    private static void putDoubles(ObjectNode o, String name, List<Double> values) {
        ArrayNode a = o.putArray(name);
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.add(Double.toString(v));
            }
        }
    }

    private static double getDouble(JsonNode n) {
        if (n.isTextual()) {
            return Double.parseDouble(n.textValue());
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("a number is missing");
        }
        return n.doubleValue();
    }

    private static List<Double> getDoubles(JsonNode o, String name) {
        List<Double> values = new ArrayList<>();
        for (JsonNode n : o.path(name)) {
            values.add(getDouble(n));
        }
        return values;
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> values = new ArrayList<>();
        a.forEach(n -> values.add(n.intValue()));
        return values;
    }

    private static Map<String, String> strings(JsonNode o) {
        Map<String, String> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
