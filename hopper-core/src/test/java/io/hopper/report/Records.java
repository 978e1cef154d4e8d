package io.hopper.report;

import java.util.List;

/** Hand-made fit records for report tests. */
final class Records {
    private Records() {
    }

    static FitRecord.Config config(int key, String fitParams, List<Double> trainingLoss, List<Double> validationLoss) {
        return new FitRecord.Config(key, 1, "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                fitParams, "ok", "categorical_crossentropy", "accuracy", List.of(1.0, 2.0), trainingLoss, List.of(0.5, 0.75),
                validationLoss, validationLoss.isEmpty() ? List.of() : List.of(0.25, 0.5));
    }

    static FitRecord fit(List<FitRecord.Config> configs, String validationTable) {
        List<FitRecord.ScheduledUnit> units = List.of(
                new FitRecord.ScheduledUnit(1, 1, 0, 0, "train", 0, 100),
                new FitRecord.ScheduledUnit(2, 1, 1, 1, "train", 0, 50),
                new FitRecord.ScheduledUnit(2, 1, 0, 0, "train", 100, 200),
                new FitRecord.ScheduledUnit(1, 1, 1, 1, "eval", 150, 200));
        return new FitRecord("models", "train_packed", validationTable, "demo <b>", null, "2026-01-02T03:04:05Z", "2026-01-02T03:04:06Z",
                "0.1.0", "async", 2, 7, List.of(1, 2), configs, units);
    }
}
