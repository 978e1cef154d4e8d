package io.hopper.fit;

import io.hopper.fit.FitSpec;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.params.MstEntry;
import io.hopper.store.Store;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Re-runs a finished fit from what its O_summary records ({@link Provenance}): the same tables, settings and seed,
 * every configuration trained in its recorded visit order, into a new output table. The weights come out identical.
 *
 * <p>Before any work it checks that the inputs are still those of the record: the packed tables' fingerprints, the
 * mst table's configurations and the architectures. A warm-started fit is refused (its starting states are gone).
 * Initial weights stored in the architecture table are not fingerprinted: keep them as they were.
 */
public final class FitReplay {
    private FitReplay() {
    }

    /**
     * The fit that replays {@code recorded} into {@code outputTable}; call {@link FitMultipleModel#run()} on it.
     *
     * @throws IllegalArgumentException when the record is missing, the fit was warm-started, or an input changed
     */
    public static FitMultipleModel of(Store store, String recorded, String outputTable, ProgressListener listener) {
        Provenance provenance = Provenance.read(store, recorded);
        SummaryRow r = OutputTables.readSummary(store, recorded);
        if (r.warmStart()) {
            throw new IllegalArgumentException("--replay '" + recorded + "' was warm-started from an earlier table whose states are gone;"
                    + " replay only fits that started fresh");
        }
        String mst = r.modelSelectionTable();
        requireSameData(store, recorded, "source_table", r.sourceTable(), provenance.sourceFingerprint());
        if (r.validationTable().isPresent()) {
            requireSameData(store, recorded, "validation_table", r.validationTable().get(), provenance.validationFingerprint().orElse(""));
        }
        List<MstEntry> now = store.exists(mst) ? ModelSelectionTable.read(store, mst) : List.of();
        List<MstEntry> then = OutputTables.readInfos(store, recorded).stream()
                .map(i -> new MstEntry(i.mstKey(), i.modelId(), i.compileParams(), i.fitParams())).toList();
        if (!now.equals(then)) {
            throw new IllegalArgumentException("--replay '" + recorded + "': model_selection_table '" + mst + "' no longer holds the "
                    + then.size() + " configurations the fit trained; restore it (mst_key, model_id, compile_params, fit_params as in "
                    + OutputTables.info(recorded) + ")");
        }
        String archTable = r.modelArchTable();
        Map<Integer, String> archs = new HashMap<>();
        if (store.exists(archTable)) {
            ModelArchTable.readAll(store, archTable).forEach(e -> archs.put(e.modelId(), e.modelArch()));
        }
        Map<Integer, Integer> modelIds = new HashMap<>();
        then.forEach(e -> modelIds.put(e.mstKey(), e.modelId()));
        for (ModelRow o : OutputTables.readModels(store, recorded)) {
            int modelId = modelIds.get(o.mstKey());
            if (!o.modelArch().equals(archs.get(modelId))) {
                throw new IllegalArgumentException("--replay '" + recorded + "': model_id " + modelId + " of architecture table '" + archTable
                        + "' is no longer the architecture the fit trained; restore it (the model_arch column of '" + recorded + "')");
            }
        }
        FitSpec.Builder b = FitSpec.builder().setSourceTable(r.sourceTable()).setModelOutputTable(outputTable).setModelSelectionTable(mst)
                .setNumIterations(r.numIterations()).optMetricsComputeFrequency(r.metricsComputeFrequency())
                .optValidationTable(r.validationTable().orElse(null)).optName(r.name().orElse(null))
                .optDescription(r.description().orElse(null)).optUseCaching(r.useCaching())
                .optWorkers(r.workers()).optSeed(provenance.seed())
                .optSchedule(FitSpec.Schedule.valueOf(provenance.schedule().toUpperCase(Locale.ROOT)));
        return new FitMultipleModel(store, b.build(), listener).replaying(provenance.visitOrders());
    }

    private static void requireSameData(Store store, String recorded, String what, String table, String fingerprint) {
        if (!store.exists(table) || !Provenance.fingerprint(store, table).equals(fingerprint)) {
            throw new IllegalArgumentException("--replay '" + recorded + "': " + what + " '" + table + "' "
                    + (store.exists(table) ? "changed since the fit (its fingerprint differs)" : "no longer exists")
                    + "; repack it with the same source, settings and seed");
        }
    }
}
