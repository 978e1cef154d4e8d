package io.hopper.fit;

import io.hopper.store.Row;
import io.hopper.store.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The row of O_summary, typed: MADlib's columns, Hopper's run settings and the {@link Provenance};
 * {@link #toRow()} and {@link #fromRow} are O_summary's one codec. An automl search's O_summary holds these columns
 * and its own after them, so every reader of a model table's summary reads both.
 *
 * @param sourceTable the packed training table
 * @param validationTable the packed validation table, if any
 * @param model O
 * @param modelInfo O_info
 * @param dependentVarname the class column's name
 * @param independentVarname the features' column name
 * @param modelArchTable the architecture table
 * @param modelSelectionTable the mst table
 * @param numIterations iterations trained (a session: the most epochs any configuration trained)
 * @param metricsComputeFrequency metrics every this many iterations
 * @param warmStart whether the fit continued from O's states
 * @param name the fit's name, if any
 * @param description the fit's description, if any
 * @param startTrainingTime ISO-8601
 * @param endTrainingTime ISO-8601
 * @param version Hopper's version
 * @param numClasses the number of classes
 * @param classValues the class values (elements may be null), empty when the labels were one-hot
 * @param dependentVartype the class column's type
 * @param normalizingConst what the training X was divided by
 * @param metricsIters the iterations at which metrics were computed
 * @param seed the run's seed
 * @param schedule async, rotation or dynamic
 * @param workers the number of workers
 * @param useCaching whether workers cached partitions
 * @param javaVersion the JVM
 * @param os the operating system
 * @param sourceFingerprint the packed training table's fingerprint
 * @param validationFingerprint the packed validation table's fingerprint, if any
 * @param visitOrders every configuration's visit order per iteration (JSON); empty for a session
 */
public record SummaryRow(String sourceTable, Optional<String> validationTable, String model, String modelInfo,
                         String dependentVarname, String independentVarname, String modelArchTable,
                         String modelSelectionTable, int numIterations, int metricsComputeFrequency, boolean warmStart,
                         Optional<String> name, Optional<String> description, String startTrainingTime,
                         String endTrainingTime, String version, int numClasses, Optional<List<String>> classValues,
                         String dependentVartype, double normalizingConst, List<Integer> metricsIters, long seed,
                         String schedule, int workers, boolean useCaching, String javaVersion, String os,
                         String sourceFingerprint, Optional<String> validationFingerprint, Optional<String> visitOrders) {
    /** Validates and copies. */
    public SummaryRow {
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(validationTable, "validationTable");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(validationFingerprint, "validationFingerprint");
        Objects.requireNonNull(visitOrders, "visitOrders");
        classValues = classValues.map(v -> Collections.unmodifiableList(new ArrayList<>(v)));
        metricsIters = List.copyOf(metricsIters);
    }

    /** The row in {@link OutputTables#SUMMARY}'s column order. */
    public Row toRow() {
        return Row.of(values());
    }

    /** The values in {@link OutputTables#SUMMARY}'s column order (a search appends its own columns). */
    public List<Object> values() {
        return new ArrayList<>(Arrays.asList(sourceTable, validationTable.orElse(null), model, modelInfo, dependentVarname,
                independentVarname, modelArchTable, modelSelectionTable, numIterations, metricsComputeFrequency, warmStart,
                name.orElse(null), description.orElse(null), startTrainingTime, endTrainingTime, version, numClasses,
                classValues.orElse(null), dependentVartype, normalizingConst, metricsIters, seed, schedule, workers,
                useCaching, javaVersion, os, sourceFingerprint, validationFingerprint.orElse(null), visitOrders.orElse(null)));
    }

    /** Whether a table with {@code schema} holds O_summary's columns (a fit's, or a search's with more). */
    public static boolean readable(Schema schema) {
        return schema.names().containsAll(OutputTables.SUMMARY.names());
    }

    /** The row of a table with {@code schema} (O_summary's columns, found by name; a search's has more). */
    @SuppressWarnings("unchecked")
    public static SummaryRow fromRow(Row r, Schema s) {
        return new SummaryRow((String) r.get(s.indexOf("source_table")), Optional.ofNullable((String) r.get(s.indexOf("validation_table"))),
                (String) r.get(s.indexOf("model")), (String) r.get(s.indexOf("model_info")),
                (String) r.get(s.indexOf("dependent_varname")), (String) r.get(s.indexOf("independent_varname")),
                (String) r.get(s.indexOf("model_arch_table")), (String) r.get(s.indexOf("model_selection_table")),
                (Integer) r.get(s.indexOf("num_iterations")), (Integer) r.get(s.indexOf("metrics_compute_frequency")),
                (Boolean) r.get(s.indexOf("warm_start")), Optional.ofNullable((String) r.get(s.indexOf("name"))),
                Optional.ofNullable((String) r.get(s.indexOf("description"))), (String) r.get(s.indexOf("start_training_time")),
                (String) r.get(s.indexOf("end_training_time")), (String) r.get(s.indexOf("version")),
                (Integer) r.get(s.indexOf("num_classes")), Optional.ofNullable((List<String>) r.get(s.indexOf("class_values"))),
                (String) r.get(s.indexOf("dependent_vartype")), (Double) r.get(s.indexOf("normalizing_const")),
                (List<Integer>) r.get(s.indexOf("metrics_iters")), (Long) r.get(s.indexOf("seed")),
                (String) r.get(s.indexOf("schedule")), (Integer) r.get(s.indexOf("workers")),
                (Boolean) r.get(s.indexOf("use_caching")), (String) r.get(s.indexOf("java_version")),
                (String) r.get(s.indexOf("os")), (String) r.get(s.indexOf("source_fingerprint")),
                Optional.ofNullable((String) r.get(s.indexOf("validation_fingerprint"))),
                Optional.ofNullable((String) r.get(s.indexOf("visit_orders"))));
    }
}
