package io.hopper.fit;

import ai.djl.ndarray.types.Shape;
import io.hopper.data.PackedSummary;
import io.hopper.data.PackedTables;
import io.hopper.store.Schema;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.UnitSeeds;
import io.hopper.model.ModelArchTable;
import io.hopper.model.Network;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.MstEntry;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.Placement;
import io.hopper.store.Store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first step of a fit: validates every input before any work (the packed tables, the mst and architecture
 * tables, the shapes, the output tables, the workers), builds each configuration's first state (weights seeded from
 * (seed, mst_key), the architecture table's model_weights when present, or O's state with warm start) and the
 * memory estimate, into a {@link FitPlan}.
 */
final class FitPlanner {
    private final Store store;
    private final FitSpec spec;
    /** A session may start from an empty mst table and add configurations as it goes. */
    private final boolean session;

    private FitPlanner(Store store, FitSpec spec, boolean session) {
        this.store = store;
        this.spec = spec;
        this.session = session;
    }

    /**
     * Validates every input of {@code spec}, builds each configuration's first state and checks the memory estimate
     * (told to {@code listener} first).
     *
     * @throws IllegalArgumentException for bad input, before any work
     */
    static FitPlan plan(Store store, FitSpec spec, ProgressListener listener) {
        return plan(store, spec, listener, false);
    }

    /**
     * {@link #plan(Store, FitSpec, ProgressListener)}; for a session ({@code session} true) the mst table may be empty,
     * since a session's driver may add configurations that are not in it ({@link FitPlan#planner()}); the memory
     * estimate counts those of the table.
     */
    static FitPlan plan(Store store, FitSpec spec, ProgressListener listener, boolean session) {
        FitPlan plan = new FitPlanner(store, spec, session).plan();
        long limit = spec.memoryLimit().orElseGet(MemoryEstimate::physicalMemory);
        listener.onEstimate(plan.estimate(), limit);
        plan.estimate().check(limit, Runtime.getRuntime().maxMemory());
        return plan;
    }

    private FitPlan plan() {
        PackedSummary source = packedSummary("source_table", spec.sourceTable());
        if (source.isValidation()) {
            throw new IllegalArgumentException("source_table '" + spec.sourceTable() + "' is a validation table (of '"
                    + source.validationOf() + "'); give the packed training table");
        }
        long[] sourceRows = rowsPerPartition("source_table", spec.sourceTable(), source.partitions(), true);
        Optional<PackedSummary> validation = Optional.empty();
        long validationRows = 0;
        long largestPartition = java.util.Arrays.stream(sourceRows).max().orElse(0);
        if (spec.validationTable().isPresent()) {
            String v = spec.validationTable().get();
            PackedSummary vs = packedSummary("validation_table", v);
            if (!vs.isValidation() || !spec.sourceTable().equals(vs.validationOf())) {
                throw new IllegalArgumentException("validation_table '" + v + "' was not packed for source_table '" + spec.sourceTable()
                        + "' (" + (vs.isValidation() ? "it validates '" + vs.validationOf() + "'" : "it is a training table")
                        + "); pack it with `hopper preprocess-validation --training-preprocessor-table " + spec.sourceTable() + "`");
            }
            for (long r : rowsPerPartition("validation_table", v, source.partitions(), false)) {
                validationRows += r;
                largestPartition = Math.max(largestPartition, r);
            }
            validation = Optional.of(vs);
        }
        List<MstEntry> entries = ModelSelectionTable.read(store, spec.modelSelectionTable());
        if (entries.isEmpty() && !session) {
            throw new IllegalArgumentException("model_selection_table '" + spec.modelSelectionTable()
                    + "' is empty; fill it with `hopper load-model-selection-table`");
        }
        String archTable = ModelSelectionTable.archTable(store, spec.modelSelectionTable());
        Map<Integer, ModelArchTable.Entry> archs = new HashMap<>();
        ModelArchTable.readAll(store, archTable).forEach(e -> archs.put(e.modelId(), e));
        Set<Integer> unknown = new TreeSet<>();
        entries.stream().filter(e -> !archs.containsKey(e.modelId())).forEach(e -> unknown.add(e.modelId()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("model_selection_table '" + spec.modelSelectionTable() + "' refers to model_id "
                    + unknown + " that architecture table '" + archTable + "' does not have (it has " + new TreeSet<>(archs.keySet())
                    + "); rebuild the mst table from ids of that table");
        }
        Map<Integer, KerasArchitecture> parsed = new HashMap<>();
        for (MstEntry e : entries) {
            parsed.computeIfAbsent(e.modelId(), id -> checkShapes(id, archs.get(id).modelArch(), source, archTable));
        }
        Map<Integer, byte[]> warm = checkOutputTables();
        int partitions = source.partitions();
        int workers = spec.workers().orElse(Math.min(partitions, Runtime.getRuntime().availableProcessors()));
        if (workers > partitions) {
            throw new IllegalArgumentException("workers=" + workers + " is more than the " + partitions + " partitions of '"
                    + spec.sourceTable() + "'; use at most " + partitions + " workers (a worker owns whole partitions)");
        }
        // EarlyStopping monitors are checked before any weights are built
        for (MstEntry e : entries) {
            EarlyStoppingHook.validate(e.mstKey(), new ModelSpec(archs.get(e.modelId()).modelArch(), e.parsedCompileParams(),
                    e.parsedFitParams()), spec.validationTable().isPresent());
        }
        long xValues = 0;
        for (List<Integer> shape : source.sampleShapes()) {
            long v = 1;
            for (int d : shape) {
                v *= d;
            }
            xValues += v;
        }
        int classes = source.numClassesList().stream().mapToInt(Integer::intValue).sum();
        long cached = 0;
        if (spec.useCaching()) {
            for (long r : sourceRows) {
                cached += r;
            }
            cached += validationRows;
        }
        long cacheBytes = MemoryEstimate.cacheBytes(cached, xValues, classes);
        long partitionBytes = MemoryEstimate.cacheBytes(largestPartition, xValues, classes) * workers;
        // before any weights are built: a model too large for memory is refused here, not in weight initialisation
        long stateBound = 0;
        for (MstEntry e : entries) {
            long params = parsed.get(e.modelId()).summary().totalParams();
            long bound = MemoryEstimate.stateBytesBound(params);
            if (bound > MemoryEstimate.MAX_STATE_BYTES) {
                throw new IllegalArgumentException("model_id " + e.modelId() + " has " + params + " parameters; its state (weights"
                        + " and optimizer slots, up to " + MemoryEstimate.format(bound) + ") would exceed the "
                        + MemoryEstimate.format(MemoryEstimate.MAX_STATE_BYTES) + " one model may have; use a smaller architecture");
            }
            stateBound += bound;
        }
        new MemoryEstimate(cacheBytes, partitionBytes, stateBound, workers)
                .check(spec.memoryLimit().orElseGet(MemoryEstimate::physicalMemory), Runtime.getRuntime().maxMemory());
        List<ConfigState> configs = new ArrayList<>();
        for (MstEntry e : entries) {
            ModelSpec model = new ModelSpec(archs.get(e.modelId()).modelArch(), e.parsedCompileParams(), e.parsedFitParams());
            configs.add(new ConfigState(e, model, initialState(e.mstKey(), model, parsed.get(e.modelId()), archs.get(e.modelId()),
                    warm.get(e.mstKey()))));
        }
        List<Integer> metricsIters = new ArrayList<>();
        for (int i = 1; i <= spec.numIterations(); i++) {
            if (i % spec.metricsComputeFrequency() == 0 || i == spec.numIterations()) {
                metricsIters.add(i);
            }
        }
        Placement placement = Placement.roundRobin(partitions, workers);
        MemoryEstimate estimate = new MemoryEstimate(cacheBytes, partitionBytes,
                configs.stream().mapToLong(c -> c.state().length).sum(), placement.workers());
        FitPlan.Planner planner = new FitPlan.Planner() {
            @Override
            public ConfigState plan(MstEntry e) {
                ModelSpec model = model(e);
                return new ConfigState(e, model, initialState(e.mstKey(), model, parsed.get(e.modelId()), archs.get(e.modelId()), null));
            }

            @Override
            public ModelSpec model(MstEntry e) {
                if (!archs.containsKey(e.modelId())) {
                    throw new IllegalArgumentException("fit session: mst_key " + e.mstKey() + " has model_id " + e.modelId()
                            + " that architecture table '" + archTable + "' does not have (it has " + new TreeSet<>(archs.keySet())
                            + "); use an id of that table");
                }
                parsed.computeIfAbsent(e.modelId(), id -> checkShapes(id, archs.get(id).modelArch(), source, archTable));
                return new ModelSpec(archs.get(e.modelId()).modelArch(), e.parsedCompileParams(), e.parsedFitParams());
            }
        };
        return new FitPlan(source, validation, archTable, configs, placement, estimate, metricsIters, planner);
    }

    private PackedSummary packedSummary(String what, String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException(what + " '" + table + "' does not exist in " + store.describe()
                    + "; pack the data with `hopper preprocess-training` (or preprocess-validation) first");
        }
        if (!PackedTables.isPacked(store.schema(table)) || !store.exists(PackedTables.summaryTable(table))) {
            throw new IllegalArgumentException(what + " '" + table + "' is not a packed table (columns "
                    + store.schema(table).names() + "); pack it with `hopper preprocess-training` (or preprocess-validation)");
        }
        return PackedTables.readSummary(store, table);
    }

    /** Rows per partition, read from the buffers' x_shape; every training partition must hold rows. */
    private long[] rowsPerPartition(String what, String table, int partitions, boolean everyPartition) {
        long[] rows = new long[partitions];
        Schema schema = store.schema(table);
        int[] io = PackedTables.layout(schema);
        int partitionIndex = schema.indexOf(PackedTables.PARTITION_COLUMN);
        int shapeIndex = schema.indexOf(PackedTables.shapeColumn(PackedTables.xColumn(0, io[0], io[1])));
        store.scan(table, row -> {
            int p = (Integer) row.get(partitionIndex);
            if (p < 0 || p >= partitions) {
                throw new IllegalStateException(what + " '" + table + "' has a buffer on partition " + p + " outside 0.."
                        + (partitions - 1) + "; repack the table");
            }
            @SuppressWarnings("unchecked")
            List<Integer> shape = (List<Integer>) row.get(shapeIndex);
            rows[p] += shape.get(0);
        });
        if (Arrays.stream(rows).sum() == 0) {
            throw new IllegalArgumentException(what + " '" + table + "' is empty; pack it from a source with rows");
        }
        for (int p = 0; everyPartition && p < partitions; p++) {
            if (rows[p] == 0) {
                throw new IllegalArgumentException(what + " '" + table + "' has no rows on partition " + p
                        + "; pack it with fewer --partitions so that every partition holds rows");
            }
        }
        return rows;
    }

    private KerasArchitecture checkShapes(int modelId, String json, PackedSummary source, String archTable) {
        KerasArchitecture arch = KerasArchitecture.parse(json);
        if (source.multiIo() || arch.inputShapes().size() != 1 || arch.outputShapes().size() != 1) {
            arch.requireFits(source, "model_id " + modelId + " of '" + archTable + "'");
            return arch;
        }
        if (!Network.fits(arch.inputShapes().get(0), source.sampleShape())) {
            throw new IllegalArgumentException("model_id " + modelId + ": the architecture's input shape " + arch.inputShapes()
                    + " does not match the samples " + source.sampleShape() + " of source_table '" + spec.sourceTable()
                    + "'; use an architecture whose input_shape is " + source.sampleShape());
        }
        if (!arch.outputShapes().get(0).equals(new Shape(source.numClasses()))) {
            throw new IllegalArgumentException("model_id " + modelId + ": the architecture's output shape " + arch.outputShapes()
                    + " does not match the " + source.numClasses() + " classes of source_table '" + spec.sourceTable()
                    + "'; use a last layer with " + source.numClasses() + " units");
        }
        return arch;
    }

    /** Checks O and its companions; with warm start returns O's states by mst key. */
    private Map<Integer, byte[]> checkOutputTables() {
        String out = spec.modelOutputTable();
        boolean checkpoint = store.exists(CheckpointTable.name(out));
        if (spec.resume()) {
            ResumeRules.requireCheckpoint(out, checkpoint);
        } else {
            ResumeRules.requireNoCheckpoint(out, checkpoint);
        }
        if (!spec.warmStart()) {
            for (String t : OutputTables.names(out)) {
                if (store.exists(t)) {
                    throw new IllegalArgumentException("Output table '" + t + "' already exists; drop it with `hopper table drop "
                            + out + "` or pass --warm-start to continue from it");
                }
            }
            return Map.of();
        }
        if (!store.exists(out) || !store.schema(out).equals(OutputTables.MODEL)) {
            throw new IllegalArgumentException("--warm-start: model_output_table '" + out + "' " + (store.exists(out)
                    ? "is not a Hopper model table (no model_state column)" : "does not exist")
                    + "; run without --warm-start first");
        }
        Map<Integer, byte[]> states = new HashMap<>();
        OutputTables.readModels(store, out).forEach(m -> states.put(m.mstKey(), m.modelState()));
        return states;
    }

    private byte[] initialState(int mstKey, ModelSpec spec0, KerasArchitecture arch, ModelArchTable.Entry archEntry, byte[] warm) {
        KerasNetwork network = new KerasNetwork(arch);
        try (TrainableModel model = new TrainableModel(network, spec0.compile(), UnitSeeds.init(spec.seed(), mstKey))) {
            if (warm != null) {
                try {
                    model.importState(warm);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--warm-start: the state of mst_key " + mstKey + " in '" + spec.modelOutputTable()
                            + "' does not fit its configuration (" + e.getMessage() + "); drop the output table or use another one", e);
                }
            } else if (archEntry.modelWeights().isPresent()) {
                ByteBuffer bytes = archEntry.modelWeights().get().duplicate().order(ByteOrder.LITTLE_ENDIAN);
                float[] flat = new float[bytes.remaining() / Float.BYTES];
                bytes.asFloatBuffer().get(flat);
                network.setFlatKerasWeights(flat);
            }
            return model.exportState();
        }
    }
}
