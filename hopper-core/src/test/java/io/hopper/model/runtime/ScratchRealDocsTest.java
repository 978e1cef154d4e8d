package io.hopper.model.runtime;

import ai.djl.ndarray.types.Shape;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.ParamParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

class ScratchRealDocsTest {
    @Test
    void run() throws Exception {
        StringBuilder report = new StringBuilder();
        List<Path> files;
        try (var s = Files.list(Path.of("/tmp/keras-docs"))) {
            files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        String only = System.getenv("DOCS");
        for (Path f : files) {
            String id = f.getFileName().toString().replace(".json", "");
            if (only != null && !Arrays.asList(only.split(",")).contains(id)) {
                continue;
            }
            try {
                KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(Files.readString(f)));
                try (TrainableModel model = new TrainableModel(net, ParamParser.parseCompile(
                        "loss='mean_squared_error', optimizer='Adam(lr=0.001)'"), 1)) {
                    SplittableRandom random = new SplittableRandom(5);
                    int rows = 2;
                    List<float[]> xs = new ArrayList<>();
                    List<List<Integer>> xShapes = new ArrayList<>();
                    for (Shape shape : net.inputShapes()) {
                        List<Integer> dims = new ArrayList<>(List.of(rows));
                        Arrays.stream(shape.getShape()).forEach(d -> dims.add(d < 0 ? 12 : Math.toIntExact(d)));
                        float[] x = new float[dims.stream().reduce(1, Math::multiplyExact)];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = random.nextFloat();
                        }
                        xs.add(x);
                        xShapes.add(dims);
                    }
                    List<short[]> ys = new ArrayList<>();
                    List<List<Integer>> yShapes = new ArrayList<>();
                    for (Shape shape : net.outputShapes()) {
                        int classes = Math.toIntExact(shape.get(0));
                        short[] y = new short[rows * classes];
                        for (int r = 0; r < rows; r++) {
                            y[r * classes + random.nextInt(classes)] = 1;
                        }
                        ys.add(y);
                        yShapes.add(List.of(rows, classes));
                    }
                    float[] before = net.flatKerasWeights();
                    TrainResult r = model.trainPassMulti(List.of(new MultiBuffer(0, xs, xShapes, ys, yShapes)), TrainableModelTest.fit(2, 1, true), 3);
                    float[] after = net.flatKerasWeights();
                    int changed = 0;
                    for (int i = 0; i < before.length; i++) {
                        changed += before[i] != after[i] ? 1 : 0;
                    }
                    report.append(id).append(": trained loss=").append(r.meanLoss()).append(" changed=").append(changed).append('/').append(before.length).append('\n');
                }
            } catch (Throwable e) {
                report.append(id).append(": ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append('\n');
            }
        }
        Files.writeString(Path.of("/tmp/keras-scratch/train.txt"), report.toString());
    }
}
