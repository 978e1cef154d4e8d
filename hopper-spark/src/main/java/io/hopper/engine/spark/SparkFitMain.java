package io.hopper.engine.spark;

import io.hopper.cli.HopperCli;

import java.util.ArrayList;
import java.util.List;

/**
 * The main class of the Spark application jar: the hopper command with {@code --engine spark}, for spark-submit
 * (which gives the master), e.g. {@code spark-submit --class io.hopper.engine.spark.SparkFitMain hopper-spark.jar
 * --store /shared/store fit-multiple-model --source-table t ...}.
 */
public final class SparkFitMain {
    private SparkFitMain() {
    }

    /** Runs the hopper command; a fit-multiple-model without {@code --engine} gets {@code --engine spark}. */
    public static void main(String[] args) {
        HopperCli.main(withSparkEngine(List.of(args)).toArray(String[]::new));
    }

    /** The arguments with {@code --engine spark} appended to a fit-multiple-model that names no engine. */
    static List<String> withSparkEngine(List<String> args) {
        List<String> all = new ArrayList<>(args);
        if (all.contains("fit-multiple-model") && all.stream().noneMatch(a -> a.equals("--engine") || a.startsWith("--engine="))) {
            all.add("--engine");
            all.add("spark");
        }
        return all;
    }
}
