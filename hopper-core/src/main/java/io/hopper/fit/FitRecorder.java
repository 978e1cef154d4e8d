package io.hopper.fit;

import io.hopper.Version;
import io.hopper.data.PackedSummary;
import io.hopper.engine.Phase;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The third step of a fit: the record of a {@link FitRun} as typed rows of O, O_info, O_summary (with the
 * {@link Provenance}) and O_schedule, written together once everything succeeded. An automl search builds its rows
 * with the same methods and adds its own columns.
 */
public final class FitRecorder {
    private final Store store;
    private final Map<String, KerasArchitecture> archs = new HashMap<>();
    private final java.util.function.UnaryOperator<String> knownFingerprints;

    /** A recorder for runs on {@code store} (read for the fingerprints of the packed tables). */
    public FitRecorder(Store store) {
        this(store, table -> null);
    }

    private FitRecorder(Store store, java.util.function.UnaryOperator<String> knownFingerprints) {
        this.store = store;
        this.knownFingerprints = knownFingerprints;
    }

    /** A packed table's fingerprint, computed unless already known. */
    private String fingerprint(String packedTable) {
        String known = knownFingerprints.apply(packedTable);
        return known != null ? known : Provenance.fingerprint(store, packedTable);
    }

    /**
     * Writes O and its companions for {@code run} of {@code spec} into {@code op}, with O_leaderboard, and drops the run's
     * checkpoint there (op locked {@link OutputTables#finalTables}; the caller commits, so a kill at any moment leaves
     * either the checkpoint or the complete outputs) and returns the fit's result.
     */
    static FitResult write(Store store, StoreOperation op, FitSpec spec, FitRun run) {
        return write(store, op, spec, run, table -> null);
    }

    /**
     * {@link #write(Store, StoreOperation, FitSpec, FitRun)} with the packed tables' fingerprints already computed
     * ({@code knownFingerprints} gives null when not), so none is read twice.
     */
    static FitResult write(Store store, StoreOperation op, FitSpec spec, FitRun run,
                           java.util.function.UnaryOperator<String> knownFingerprints) {
        FitRecorder recorder = new FitRecorder(store, knownFingerprints);
        boolean validated = run.plan().validated();
        List<ModelRow> models = run.configs().stream().map(recorder::modelRow).toList();
        List<InfoRow> infos = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            infos.add(run.configs().get(i).infoRow(validated, models.get(i).modelWeights().length / 1024.0));
        }
        OutputTables.write(op, spec.modelOutputTable(), models, infos, recorder.summaryRow(spec, run), run.schedule(),
                spec.warmStart());
        OutputTables.writeLeaderboard(op, spec.modelOutputTable(), Leaderboard.of(infos.stream().map(InfoRow::leaderboardEntry).toList()));
        CheckpointTable.remove(op, spec.modelOutputTable());
        return new FitResult(spec.modelOutputTable(), run.configs().stream().map(c -> c.outcome(validated)).toList(),
                run.plan().estimate(), run.plan().placement().workers(), run.storeReads(), run.trainingSeconds(),
                run.metricsIters());
    }

    /** A configuration's row of O: its Keras weights from its state. */
    public ModelRow modelRow(ConfigState c) {
        KerasArchitecture arch = archs.computeIfAbsent(c.model().archJson(), KerasArchitecture::parse);
        KerasNetwork network = new KerasNetwork(arch);
        try (TrainableModel model = new TrainableModel(network, c.model().compile(), 0)) {
            model.importState(c.state());
            float[] weights = network.flatKerasWeights();
            ByteBuffer b = ByteBuffer.allocate(Float.BYTES * weights.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(weights);
            return new ModelRow(c.key(), b.array(), c.model().archJson(), c.state());
        }
    }

    /**
     * The O_summary row of {@code run} of {@code spec}: the data's summary, the settings and the provenance (visit
     * orders for a fixed-iteration fit; none for a session, whose schedule is {@code dynamic}).
     */
    public SummaryRow summaryRow(FitSpec spec, FitRun run) {
        PackedSummary s = run.plan().source();
        Optional<String> visitOrders = Optional.empty();
        if (!run.session()) {
            List<Provenance.TrainedUnit> trained = run.schedule().stream().filter(e -> e.phase().equals(Phase.TRAIN.label()))
                    .map(e -> new Provenance.TrainedUnit(e.mstKey(), e.iteration(), e.partition(), e.startMs())).toList();
            visitOrders = Optional.of(Provenance.visitOrdersJson(Provenance.visitOrders(run.configs().stream()
                    .map(ConfigState::key).toList(), run.iterations(), run.plan().placement().partitions(), trained)));
        }
        return new SummaryRow(spec.sourceTable(), spec.validationTable(), spec.modelOutputTable(),
                OutputTables.info(spec.modelOutputTable()), s.dependentVarname(), s.independentVarnameText(), run.plan().archTable(),
                spec.modelSelectionTable(), run.iterations(), spec.metricsComputeFrequency(), spec.warmStart(), spec.name(),
                spec.description(), run.start().toString(), run.end().toString(), Version.hopper(), s.numClasses(),
                s.classValues().isEmpty() ? Optional.empty() : Optional.of(s.classValues()), s.dependentVartype(),
                s.normalizingConst(), run.metricsIters(), spec.seed(), spec.schedule().label(), run.plan().placement().workers(),
                spec.useCaching(), Provenance.currentJavaVersion(), Provenance.currentOs(),
                fingerprint(spec.sourceTable()), spec.validationTable().map(this::fingerprint), visitOrders);
    }
}
