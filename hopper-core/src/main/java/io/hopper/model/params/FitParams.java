package io.hopper.model.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Parsed fit_params: what Keras's {@code model.fit(...)} receives for one hop in MADlib.
 *
 * <p>Two strings that mean the same settings give equal records: absent, None and empty class_weight or
 * callbacks are all empty, and numbers are compared by value.
 *
 * @param batchSize samples per gradient step (Keras default 32)
 * @param epochs passes over the partition per hop (default 1)
 * @param verbose Keras's verbosity 0, 1 or 2, kept for compatibility (Hopper's default 0: it prints no
 *     per-batch progress)
 * @param shuffle whether samples are shuffled before each epoch (default true)
 * @param classWeight weight per class index, empty when absent
 * @param initialEpoch Keras's initial_epoch (default 0), below epochs
 * @param stepsPerEpoch Keras's steps_per_epoch, if given
 * @param tensorBoardLogDir the log_dir of a TensorBoard callback, if given
 * @param shuffleBatches Keras's shuffle='batch': the order of whole batches is shuffled, the rows inside a batch kept
 *     (shuffle is then true)
 * @param earlyStopping an EarlyStopping callback, if given
 */
public record FitParams(int batchSize, int epochs, int verbose, boolean shuffle, Map<Integer, Double> classWeight,
                        int initialEpoch, OptionalInt stepsPerEpoch, Optional<String> tensorBoardLogDir, boolean shuffleBatches,
                        Optional<EarlyStopping> earlyStopping) {
    /** Settings without shuffle='batch' and without EarlyStopping. */
    public FitParams(int batchSize, int epochs, int verbose, boolean shuffle, Map<Integer, Double> classWeight,
                     int initialEpoch, OptionalInt stepsPerEpoch, Optional<String> tensorBoardLogDir) {
        this(batchSize, epochs, verbose, shuffle, classWeight, initialEpoch, stepsPerEpoch, tensorBoardLogDir, false, Optional.empty());
    }

    /** Validates and copies. */
    public FitParams {
        Objects.requireNonNull(earlyStopping, "earlyStopping");
        if (shuffleBatches && !shuffle) {
            throw new IllegalArgumentException("fit_params: shuffle='batch' shuffles, so shuffle cannot be off at the same time; use shuffle='batch'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit_params: batch_size=" + batchSize
                    + " must be a positive integer; use e.g. batch_size=32");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("fit_params: epochs=" + epochs
                    + " must be a positive integer; use e.g. epochs=1");
        }
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("fit_params: verbose=" + verbose + " must be 0, 1 or 2; use verbose=0");
        }
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException("fit_params: initial_epoch=" + initialEpoch + " must be >= 0 and below epochs="
                    + epochs + " (else Keras trains no epoch); use initial_epoch=0");
        }
        Objects.requireNonNull(stepsPerEpoch, "stepsPerEpoch");
        if (stepsPerEpoch.isPresent() && stepsPerEpoch.getAsInt() < 1) {
            throw new IllegalArgumentException("fit_params: steps_per_epoch=" + stepsPerEpoch.getAsInt()
                    + " must be a positive integer; use e.g. steps_per_epoch=10 or leave it out");
        }
        classWeight.forEach((label, weight) -> {
            if (label < 0) {
                throw new IllegalArgumentException("fit_params: class_weight key " + label
                        + " must be a class index >= 0; use e.g. class_weight={0: 1.0, 1: 2.0}");
            }
            if (!(weight >= 0 && Double.isFinite(weight))) {
                throw new IllegalArgumentException("fit_params: class_weight value " + weight + " for class " + label
                        + " must be a finite number >= 0; use e.g. class_weight={0: 1.0, 1: 2.0}");
            }
        });
        classWeight = Map.copyOf(classWeight);
        Objects.requireNonNull(tensorBoardLogDir, "tensorBoardLogDir");
        if (tensorBoardLogDir.isPresent() && tensorBoardLogDir.get().isBlank()) {
            throw new IllegalArgumentException("fit_params: TensorBoard log_dir is blank;"
                    + " give a directory, e.g. callbacks=[TensorBoard(log_dir='/tmp/logs/fit')]");
        }
    }

    /** Keras's defaults: batch_size 32, epochs 1, shuffle; verbose 0. */
    public static FitParams defaults() {
        return new FitParams(32, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.empty());
    }

    /**
     * The canonical fit_params string: keys sorted; batch_size, epochs, initial_epoch, shuffle and verbose always
     * written (defaults explicit); callbacks, class_weight and steps_per_epoch left out when absent or empty;
     * class_weight as a dict with sorted integer keys and float values; strings in single quotes. It parses back
     * to an equal record, and equal records give equal strings. Example:
     * {@code batch_size=32, callbacks=[EarlyStopping(min_delta=0.0, mode='min', monitor='val_loss', patience=2),
     * TensorBoard(log_dir='/tmp/logs/fit')], epochs=1, initial_epoch=0,
     * shuffle=True, verbose=0}.
     */
    public String canonical() {
        List<String> pairs = new ArrayList<>();
        pairs.add("batch_size=" + batchSize);
        List<String> callbacks = new ArrayList<>();
        earlyStopping.ifPresent(e -> callbacks.add(e.canonical()));
        tensorBoardLogDir.ifPresent(dir -> callbacks.add("TensorBoard(log_dir=" + PyFormat.string(dir) + ")"));
        if (!callbacks.isEmpty()) {
            pairs.add("callbacks=[" + String.join(", ", callbacks) + "]");
        }
        if (!classWeight.isEmpty()) {
            pairs.add("class_weight=" + new TreeMap<>(classWeight).entrySet().stream()
                    .map(e -> e.getKey() + ": " + PyFormat.number(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}")));
        }
        pairs.add("epochs=" + epochs);
        pairs.add("initial_epoch=" + initialEpoch);
        pairs.add("shuffle=" + (shuffleBatches ? PyFormat.string("batch") : PyFormat.bool(shuffle)));
        stepsPerEpoch.ifPresent(steps -> pairs.add("steps_per_epoch=" + steps));
        pairs.add("verbose=" + verbose);
        return String.join(", ", pairs);
    }
}
