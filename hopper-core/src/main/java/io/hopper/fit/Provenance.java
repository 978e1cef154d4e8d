package io.hopper.fit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopper.data.PackedTables;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What O_summary records so that a fit can be reproduced: Hopper's, Java's and the OS's versions, the seed, the
 * schedule, fingerprints of the packed training and validation tables, and every configuration's visit order
 * (the partitions it trained on, in order) per iteration.
 *
 * <p>The fingerprint of a packed table is SHA-256 over the SHA-256 digests of its buffers in buffer_id order; a
 * buffer's digest covers, little-endian, its partition and buffer_id (int32), the lengths and dimensions of x_shape
 * and y_shape (int32), then the x and y bytes as stored (a multi-IO table: every shape x_0_shape.., y_0_shape.., then
 * every x, then every y). Same bytes dealt the same way, same fingerprint.
 *
 * @param hopperVersion Hopper's version
 * @param javaVersion the JVM's version and vendor
 * @param os the operating system's name, version and architecture
 * @param seed the run's seed
 * @param schedule async or rotation
 * @param sourceFingerprint the packed training table's fingerprint
 * @param validationFingerprint the packed validation table's fingerprint, when there is one
 * @param visitOrders by mst key: per iteration (the first at index 0) the partitions in the order trained
 */
public record Provenance(String hopperVersion, String javaVersion, String os, long seed, String schedule, String sourceFingerprint,
                         Optional<String> validationFingerprint, Map<Integer, List<List<Integer>>> visitOrders) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates and copies. */
    public Provenance {
        Objects.requireNonNull(hopperVersion, "hopperVersion");
        Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
        Objects.requireNonNull(validationFingerprint, "validationFingerprint");
        Map<Integer, List<List<Integer>>> copy = new TreeMap<>();
        visitOrders.forEach((k, v) -> copy.put(k, v.stream().map(List::copyOf).toList()));
        visitOrders = Collections.unmodifiableMap(copy);
    }

    /** This JVM's version and vendor, e.g. {@code 17.0.12 (Eclipse Adoptium)}. */
    public static String currentJavaVersion() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
    }

    /** This OS's name, version and architecture. */
    public static String currentOs() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** The fingerprint of a packed table, as the class documentation defines it, in lowercase hex. */
    public static String fingerprint(Store store, String packedTable) {
        Map<Integer, byte[]> digests = new TreeMap<>();
        Schema s = store.schema(packedTable);
        int[] io = PackedTables.layout(s);
        if (io == null) {
            throw new IllegalArgumentException("table '" + packedTable + "' is not a packed table (columns " + s.names()
                    + "); give a table made by preprocess-training or preprocess-validation");
        }
        int inputs = io[0];
        int outputs = io[1];
        int partition = s.indexOf(PackedTables.PARTITION_COLUMN);
        int bufferId = s.indexOf(PackedTables.BUFFER_ID_COLUMN);
        store.scan(packedTable, row -> {
            MessageDigest d = sha256();
            // format 1: the head, x, y as always; format 2: the head of every shape, then every x, then every y
            List<List<Integer>> shapes = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                shapes.add(intList(row.get(s.indexOf(PackedTables.shapeColumn(PackedTables.xColumn(i, inputs, outputs))))));
            }
            for (int k = 0; k < outputs; k++) {
                shapes.add(intList(row.get(s.indexOf(PackedTables.shapeColumn(PackedTables.yColumn(k, inputs, outputs))))));
            }
            int ints = 2;
            for (List<Integer> shape : shapes) {
                ints += 1 + shape.size();
            }
            ByteBuffer head = ByteBuffer.allocate(4 * ints).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt((Integer) row.get(partition)).putInt((Integer) row.get(bufferId));
            for (List<Integer> shape : shapes) {
                head.putInt(shape.size());
                shape.forEach(head::putInt);
            }
            d.update(head.array());
            for (int i = 0; i < inputs; i++) {
                d.update((byte[]) row.get(s.indexOf(PackedTables.xColumn(i, inputs, outputs))));
            }
            for (int k = 0; k < outputs; k++) {
                d.update((byte[]) row.get(s.indexOf(PackedTables.yColumn(k, inputs, outputs))));
            }
            if (digests.put((Integer) row.get(bufferId), d.digest()) != null) {
                throw new IllegalStateException("packed table '" + packedTable + "' has buffer_id " + row.get(bufferId) + " twice; repack it");
            }
        });
        MessageDigest all = sha256();
        digests.values().forEach(all::update);
        return HexFormat.of().formatHex(all.digest());
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> intList(Object value) {
        return (List<Integer>) value;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Visit orders from the train units of a fit: per configuration and iteration, the partitions by start time;
     * partitions a configuration never trained on (it diverged) follow in ascending order.
     *
     * @param trainUnits rows of (mst key, iteration, partition, start) of the units that trained
     */
    static Map<Integer, List<List<Integer>>> visitOrders(List<Integer> mstKeys, int iterations, int partitions,
                                                         List<TrainedUnit> trainUnits) {
        Map<Integer, List<List<Integer>>> orders = new TreeMap<>();
        for (int key : mstKeys) {
            List<List<Integer>> perIteration = new ArrayList<>();
            for (int i = 1; i <= iterations; i++) {
                int iteration = i;
                List<Integer> order = new ArrayList<>(trainUnits.stream()
                        .filter(u -> u.mstKey() == key && u.iteration() == iteration)
                        .sorted(Comparator.comparingDouble(TrainedUnit::startMs))
                        .map(TrainedUnit::partition).toList());
                for (int p = 0; p < partitions; p++) {
                    if (!order.contains(p)) {
                        order.add(p);
                    }
                }
                perIteration.add(order);
            }
            orders.put(key, perIteration);
        }
        return orders;
    }

    /** A unit that trained, as visit orders need it. */
    record TrainedUnit(int mstKey, int iteration, int partition, double startMs) {
    }

    /** The visit orders as JSON: {@code {"1": [[0, 2, 1], [1, 0, 2]], ...}}. */
    static String visitOrdersJson(Map<Integer, List<List<Integer>>> orders) {
        try {
            return JSON.writeValueAsString(orders);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("visit orders: cannot encode: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the provenance O_summary records.
     *
     * @throws IllegalArgumentException when O is not a fit's output table or predates provenance
     */
    public static Provenance read(Store store, String modelTable) {
        String summary = OutputTables.summary(modelTable);
        if (!store.exists(summary) || !store.schema(summary).equals(OutputTables.SUMMARY)) {
            throw new IllegalArgumentException("--replay '" + modelTable + "': " + (store.exists(summary)
                    ? "its summary has no provenance columns (written by an older Hopper, or by automl)" : "table '" + summary + "' does not exist")
                    + "; replay an output table of this Hopper's fit-multiple-model");
        }
        return of(OutputTables.readSummary(store, modelTable), modelTable);
    }

    /** The provenance a summary row records; {@code modelTable} names it in errors. */
    static Provenance of(SummaryRow r, String modelTable) {
        Map<Integer, List<List<Integer>>> orders;
        try {
            orders = JSON.readValue(r.visitOrders().orElse("{}"), new TypeReference<TreeMap<Integer, List<List<Integer>>>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--replay '" + modelTable + "': visit_orders is not valid JSON (" + e.getOriginalMessage()
                    + "); the summary was altered, rerun the fit");
        }
        return new Provenance(r.version(), r.javaVersion(), r.os(), r.seed(), r.schedule(), r.sourceFingerprint(),
                r.validationFingerprint(), orders);
    }
}
