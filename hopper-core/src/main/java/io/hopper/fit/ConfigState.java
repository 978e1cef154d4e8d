package io.hopper.fit;

import io.hopper.engine.ModelSpec;
import io.hopper.model.params.MstEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One configuration while it trains: its mst entry, its model spec and current state, whether it diverged, and its
 * learning curves. Touched only on the loop's thread (the {@link UnitLoop}, its {@link LoopListener} and a session's
 * driver), between the configuration's units.
 */
public final class ConfigState {
    private MstEntry entry;
    private ModelSpec model;
    private byte[] state;
    private Integer divergedAt;
    private Integer stoppedAt;
    private Integer failedAt;
    private String failure;
    private double latestLoss = Double.NaN;
    private final List<Double> elapsed = new ArrayList<>();
    private final List<Integer> metricEpochs = new ArrayList<>();
    private final List<Double> trainingLoss = new ArrayList<>();
    private final List<Double> trainingMetric = new ArrayList<>();
    private final List<Double> validationLoss = new ArrayList<>();
    private final List<Double> validationMetric = new ArrayList<>();
    /** A multi-output model's per-output values at the latest metrics point (not checkpointed: a resume recomputes them). */
    private InfoRow.PerOutput perOutput;

    ConfigState(MstEntry entry, ModelSpec model, byte[] state) {
        this.entry = Objects.requireNonNull(entry, "entry");
        this.model = Objects.requireNonNull(model, "model");
        this.state = Objects.requireNonNull(state, "state");
    }

    /** Its mst key. */
    public int key() {
        return entry.mstKey();
    }

    /** Its row of the mst table. */
    public MstEntry entry() {
        return entry;
    }

    /** Its architecture and settings as units carry them. */
    public ModelSpec model() {
        return model;
    }

    /** Its current state (not to be modified). */
    public byte[] state() {
        return state;
    }

    /**
     * Replaces its state and model spec between its units (a search that copies another configuration's weights and
     * changes its compile params, as population-based training does); its next unit starts from them. Its mst row
     * stays; {@link #replace(MstEntry, ModelSpec, byte[])} replaces that too.
     */
    public void replace(byte[] newState, ModelSpec newModel) {
        replace(entry, newModel, newState);
    }

    /**
     * Replaces its settings, model spec and state between its units (a search that copies another configuration's
     * weights and changes its compile params, as population-based training does); its next unit starts from them, and
     * a configuration that had diverged trains again. Its curves so far and its mst_key stay.
     *
     * @throws IllegalArgumentException when {@code newEntry} has another mst_key
     */
    public void replace(MstEntry newEntry, ModelSpec newModel, byte[] newState) {
        if (Objects.requireNonNull(newEntry, "newEntry").mstKey() != key()) {
            throw new IllegalArgumentException("fit session: cannot replace mst_key " + key() + " by the settings of mst_key "
                    + newEntry.mstKey() + "; keep the configuration's own key");
        }
        this.entry = newEntry;
        this.state = Objects.requireNonNull(newState, "newState");
        this.model = Objects.requireNonNull(newModel, "newModel");
        this.divergedAt = null;
    }

    /** The iteration (epoch) at which its training loss was not finite, if it diverged. */
    public Optional<Integer> divergedAt() {
        return Optional.ofNullable(divergedAt);
    }

    /** Whether it diverged. */
    public boolean diverged() {
        return divergedAt != null;
    }

    /** Stops it after {@code iteration} (its EarlyStopping callback saw no improvement): its later units complete unrun. */
    void stopEarly(int iteration) {
        stoppedAt = iteration;
    }

    /** The iteration after which EarlyStopping stopped it, if it did. */
    public Optional<Integer> stoppedAt() {
        return Optional.ofNullable(stoppedAt);
    }

    /** Its training loss, training metric, validation loss or validation metric curve as EarlyStopping's monitor names it. */
    List<Double> curve(String monitor) {
        boolean validation = monitor.startsWith("val_");
        String name = validation ? monitor.substring(4) : monitor;
        return name.equals("loss") ? (validation ? validationLoss : trainingLoss)
                : validation ? validationMetric : trainingMetric;
    }

    /** The iteration (epoch) at which one of its units failed on every attempt, if one did. */
    public Optional<Integer> failedAt() {
        return Optional.ofNullable(failedAt);
    }

    /** Why that unit failed, if one did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether it trains no more: it diverged, one of its units failed on every attempt, or EarlyStopping stopped it. */
    public boolean stopped() {
        return divergedAt != null || failedAt != null || stoppedAt != null;
    }

    /** A unit of {@code iteration} failed on every attempt: it keeps its last state (the first failure is kept). */
    void failed(int iteration, String reason) {
        if (failedAt == null) {
            failedAt = iteration;
            failure = reason;
        }
    }

    /**
     * Takes over the progress a checkpoint recorded (a resumed run, before its first unit). Whether EarlyStopping
     * stopped it is not recorded: {@link EarlyStoppingHook#replay} derives it from the restored curves.
     */
    void restore(Checkpoint.ConfigState saved) {
        state = saved.state();
        divergedAt = saved.divergedAt().isPresent() ? saved.divergedAt().getAsInt() : null;
        failedAt = saved.failedAt().isPresent() ? saved.failedAt().getAsInt() : null;
        failure = saved.failure().orElse(null);
        latestLoss = saved.latestLoss();
        Checkpoint.Metrics m = saved.metrics();
        metricEpochs.addAll(m.epochs());
        elapsed.addAll(m.elapsed());
        trainingLoss.addAll(m.trainingLoss());
        trainingMetric.addAll(m.trainingMetric());
        validationLoss.addAll(m.validationLoss());
        validationMetric.addAll(m.validationMetric());
    }

    /** Its progress as a checkpoint records it, with {@code visitOrders} (per iteration, the partitions so far). */
    Checkpoint.ConfigState saved(List<List<Integer>> visitOrders) {
        return new Checkpoint.ConfigState(key(), state, visitOrders,
                divergedAt == null ? OptionalInt.empty() : OptionalInt.of(divergedAt),
                failedAt == null ? OptionalInt.empty() : OptionalInt.of(failedAt), Optional.ofNullable(failure), latestLoss,
                new Checkpoint.Metrics(metricEpochs, elapsed, trainingLoss, trainingMetric, validationLoss, validationMetric));
    }

    /** The loss of its latest train unit; NaN before the first. */
    public double latestLoss() {
        return latestLoss;
    }

    /** The iterations (epochs) at which its metrics were computed. */
    public List<Integer> metricEpochs() {
        return List.copyOf(metricEpochs);
    }

    boolean hasMetric() {
        return model.compile().metric().isPresent();
    }

    /** A train unit of {@code iteration} gave {@code newState} and {@code loss}: kept when finite, else it diverged. */
    void trained(int iteration, byte[] newState, double loss) {
        if (Double.isFinite(loss)) {
            state = newState;
        } else {
            divergedAt = iteration;
        }
        latestLoss = loss;
    }

    /** Appends a metrics point (NaN for what was not computed): training {loss, metric} and validation's. */
    void addMetrics(int epoch, double elapsedSeconds, double[] training, Optional<double[]> validation) {
        addMetrics(epoch, elapsedSeconds, training[0], training[1], validation);
    }

    /**
     * Keeps a multi-output model's per-output values of the latest metrics point (null: not computed, e.g. failed);
     * a single-output model keeps none.
     */
    void outputMetrics(io.hopper.model.runtime.EvalResult training, Optional<io.hopper.model.runtime.EvalResult> validation) {
        List<String> names = io.hopper.model.keras.KerasArchitecture.parse(model.archJson()).outputNames();
        int outputs = names.size();
        if (outputs < 2) {
            return;
        }
        List<Double> nan = java.util.Collections.nCopies(outputs, Double.NaN);
        boolean metric = hasMetric();
        io.hopper.model.runtime.EvalResult v = validation.orElse(null);
        perOutput = new InfoRow.PerOutput(names,
                training == null ? nan : training.outputLosses(),
                !metric ? List.of() : training == null ? nan : training.outputMetrics(),
                validation.isEmpty() ? List.of() : v == null ? nan : v.outputLosses(),
                validation.isEmpty() || !metric ? List.of() : v == null ? nan : v.outputMetrics());
    }

    /** Appends a metrics point (NaN for what was not computed). */
    void addMetrics(int epoch, double elapsedSeconds, double tLoss, double tMetric, Optional<double[]> validation) {
        metricEpochs.add(epoch);
        elapsed.add(elapsedSeconds);
        trainingLoss.add(tLoss);
        trainingMetric.add(tMetric);
        validation.ifPresent(v -> {
            validationLoss.add(v[0]);
            validationMetric.add(v[1]);
        });
    }

    /** {@code ok}, {@code diverged at iteration N}, {@code failed at iteration N: <reason>} or {@code stopped early at iteration N}. */
    public String status() {
        return failedAt != null ? "failed at iteration " + failedAt + ": " + failure
                : divergedAt != null ? "diverged at iteration " + divergedAt
                : stoppedAt != null ? "stopped early at iteration " + stoppedAt : "ok";
    }

    /** Its status and latest losses and metrics. */
    public FitResult.ModelOutcome outcome(boolean validated) {
        return new FitResult.ModelOutcome(key(), status(), InfoRow.last(trainingLoss), optional(hasMetric(), trainingMetric),
                optional(validated, validationLoss), optional(validated && hasMetric(), validationMetric));
    }

    /** Its O_info row. */
    public InfoRow infoRow(boolean validated, double modelSizeKib) {
        return new InfoRow(key(), entry.modelId(), entry.compileParams(), entry.fitParams(), modelSizeKib, elapsed,
                model.compile().metricName(), model.compile().loss().kerasName(), trainingLoss,
                hasMetric() ? Optional.of(trainingMetric) : Optional.empty(),
                validated ? Optional.of(validationLoss) : Optional.empty(),
                validated && hasMetric() ? Optional.of(validationMetric) : Optional.empty(), status(), Optional.ofNullable(perOutput));
    }

    private static OptionalDouble optional(boolean present, List<Double> values) {
        return present ? OptionalDouble.of(InfoRow.last(values)) : OptionalDouble.empty();
    }
}
