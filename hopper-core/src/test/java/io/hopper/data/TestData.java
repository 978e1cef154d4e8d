package io.hopper.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the test data under src/test/resources/data. */
final class TestData {
    private TestData() {
    }

    /** The path of a file under /data on the test classpath. */
    static Path path(String name) {
        URL url = TestData.class.getResource("/data/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource /data/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A csv: source for a file under /data. */
    static SourceSpec csv(String name) {
        return new SourceSpec.Csv(path(name));
    }

    /** A training spec builder for a CSV under /data with 2 partitions and seed 1. */
    static TrainingPreprocessSpec.Builder training(String csv, String out, String y, String x) {
        return TrainingPreprocessSpec.builder().setSource(csv(csv)).setOutputTable(out).setDependentVarname(y)
                .setIndependentVarname(x).optPartitions(2).optSeed(1);
    }

    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";
}
