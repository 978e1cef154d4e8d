package io.hopper.predict;

import ai.djl.ndarray.NDManager;
import io.hopper.data.RawRows;
import io.hopper.data.SourceSpec;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ModelExportTest {
    @TempDir
    static Path dir;
    static Fitted fitted;

    @BeforeAll
    static void fit() {
        fitted = new Fitted(dir);
    }

    @Test
    void theExportedFilesAloneGiveTheSamePredictionsAsTheModelTable() {
        ChosenModel model = ChosenModel.read(fitted.store, "multi", OptionalInt.of(2));
        Path out = dir.resolve("export2");
        List<Path> files = ModelExport.write(model, out);
        assertEquals(out.resolve("manifest.json"), files.get(0));
        assertEquals(6 + 3, files.size(), "manifest, arch, loader and 6 weights");
        RawRows rows = RawRows.read(new SourceSpec.Csv(Fitted.resource("data/iris.csv")), fitted.store, "species", Fitted.IRIS_X, 1.0);
        ExportedModel exported = ExportedModel.read(out);
        assertEquals(Fitted.NORMALIZING_CONST, exported.normalizingConst());
        assertEquals(List.of("setosa", "versicolor", "virginica"), exported.classValues());
        float[] x = rows.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / exported.normalizingConst());
        }
        float[] fromFiles;
        try (KerasPredictor p = exported.predictor()) {
            fromFiles = p.predict(x, 0, rows.rows());
        }
        RawRows normalized = RawRows.read(new SourceSpec.Csv(Fitted.resource("data/iris.csv")), fitted.store, "species", Fitted.IRIS_X,
                Fitted.NORMALIZING_CONST);
        assertArrayEquals(Predict.probabilities(model, normalized, 2), fromFiles);
        String again = assertThrows(IllegalArgumentException.class, () -> ModelExport.write(model, out)).getMessage();
        assertTrue(again.contains("--out '" + out + "' already holds an exported model"), again);
    }

    @Test
    void theLoaderReadsTheRecordedFeatureColumnsOfACsvWithALabelColumn() throws Exception {
        assumeTrue(python("python3", "import numpy") == 0, "python3 with numpy is not installed");
        ChosenModel model = ChosenModel.read(fitted.store, "multi", OptionalInt.of(1));
        Path out = dir.resolve("export_iris");
        ModelExport.write(model, out);
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"independent_varname\" : [ \"sepal_length\", \"sepal_width\","),
                Files.readString(out.resolve("manifest.json")));
        // the columns in another order than training's, with the label and an id column among them
        List<String> iris = Files.readAllLines(Fitted.resource("data/iris.csv"));
        List<String> header = List.of(iris.get(0).split(","));
        StringBuilder csv = new StringBuilder("id,species,petal_width,petal_length,sepal_width,sepal_length\n");
        for (int i = 1; i < iris.size(); i++) {
            String[] f = iris.get(i).split(",");
            csv.append(i).append(',').append(f[header.indexOf("species")]);
            for (String c : List.of("petal_width", "petal_length", "sepal_width", "sepal_length")) {
                csv.append(',').append(f[header.indexOf(c)]);
            }
            csv.append('\n');
        }
        Path rowsCsv = dir.resolve("iris_shuffled_columns.csv");
        Files.writeString(rowsCsv, csv);
        List<String> lines = runLoader("python3", "numpy", out, rowsCsv);
        RawRows normalized = RawRows.read(new SourceSpec.Csv(Fitted.resource("data/iris.csv")), fitted.store, "species", Fitted.IRIS_X,
                Fitted.NORMALIZING_CONST);
        float[] expected = Predict.probabilities(model, normalized, 1);
        assertEquals(normalized.rows(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[i * 3 + c], Double.parseDouble(f[c]), 1e-5, "row " + i + " class " + c);
            }
        }
    }

    @Test
    void theOnnxFileGivesPredictsProbabilitiesOnRawRows() throws Exception {
        ChosenModel model = ChosenModel.read(fitted.store, "multi", OptionalInt.of(1));
        Path out = dir.resolve("onnx1");
        List<Path> files = ModelExport.write(model, out, ModelExport.Format.ONNX);
        assertEquals(List.of(out.resolve("manifest.json"), out.resolve("model.onnx")), files);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"format\" : \"hopper-onnx\"") && manifest.contains("\"opset\" : 17"), manifest);
        RawRows raw = RawRows.read(new SourceSpec.Csv(Fitted.resource("data/iris.csv")), fitted.store, "species", Fitted.IRIS_X, 1.0);
        RawRows normalized = RawRows.read(new SourceSpec.Csv(Fitted.resource("data/iris.csv")), fitted.store, "species", Fitted.IRIS_X,
                Fitted.NORMALIZING_CONST);
        float[] expected = Predict.probabilities(model, normalized, 2);
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession session = env.createSession(Files.readAllBytes(out.resolve("model.onnx")), new ai.onnxruntime.OrtSession.SessionOptions());
             ai.onnxruntime.OnnxTensor x = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(raw.x()), new long[] {raw.rows(), 4});
             ai.onnxruntime.OrtSession.Result r = session.run(java.util.Map.of(session.getInputNames().iterator().next(), x))) {
            java.nio.FloatBuffer got = ((ai.onnxruntime.OnnxTensor) r.get(0)).getFloatBuffer();
            assertEquals(expected.length, got.remaining());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got.get(i), 1e-5, "value " + i);
            }
            assertEquals("2.0", session.getMetadata().getCustomMetadata().get("normalizing_const"));
        }
        String bad = assertThrows(IllegalArgumentException.class, () -> ModelExport.Format.parse("tflite")).getMessage();
        assertTrue(bad.startsWith("--format 'tflite' is not an export format"), bad);
    }

    @Test
    void theOnnxFileOfAFittedTwoInputTwoOutputModelGivesPredictsOutputs() throws Exception {
        List<String> lines = Files.readAllLines(Fitted.resource("data/iris.csv"));
        List<String> rows = new java.util.ArrayList<>(List.of(lines.get(0) + ",petal_size"));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                double petal = Double.parseDouble(line.split(",")[2]);
                rows.add(line + "," + (petal < 2.5 ? "small" : petal < 5 ? "medium" : "large"));
            }
        }
        Path csv = dir.resolve("iris_multi_io.csv");
        Files.write(csv, rows);
        new io.hopper.data.TrainingPreprocessor(fitted.store).preprocess(io.hopper.data.TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(csv)).setOutputTable("mio").setDependentVarnames(List.of("species", "petal_size"))
                .setIndependentVarnames(List.of("sepal_length,sepal_width,petal_length,petal_width", "petal_length,petal_width,sepal_length,sepal_width"))
                .optPartitions(2).optSeed(3).optNormalizingConst(Fitted.NORMALIZING_CONST).build());
        int id = io.hopper.model.ModelArchTable.load(fitted.store, "arch_mio",
                Fitted.text("keras/03_madlib_iris_multi_input_concat_functional.json"), null, "multi-io", null);
        io.hopper.model.ModelSelectionTable.load(fitted.store, "arch_mio", "mst_mio", List.of(id), List.of("loss=['categorical_crossentropy', "
                + "'categorical_crossentropy'], optimizer='Adam(lr=0.01)', metrics=['accuracy']"), List.of("batch_size=16, epochs=1"));
        new io.hopper.fit.FitMultipleModel(fitted.store, io.hopper.fit.FitSpec.builder().setSourceTable("mio").setModelOutputTable("o_mio")
                .setModelSelectionTable("mst_mio").setNumIterations(2).optWorkers(2).optSeed(11).build(),
                io.hopper.fit.ProgressListener.NONE).run();
        ChosenModel model = ChosenModel.read(fitted.store, "o_mio", OptionalInt.empty());
        assertEquals(List.of("species", "petal_size"), model.outputs().stream().map(ChosenModel.Output::dependentVarname).toList());
        Path out = dir.resolve("onnx_mio");
        ModelExport.write(model, out, ModelExport.Format.ONNX);
        RawRows raw = RawRows.read(new SourceSpec.Csv(csv), fitted.store, "species", model.inputGroups(), 1.0);
        RawRows normalized = RawRows.read(new SourceSpec.Csv(csv), fitted.store, "species", model.inputGroups(), Fitted.NORMALIZING_CONST);
        List<float[]> expected = Predict.outputs(model, normalized, 2);
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession session = env.createSession(Files.readAllBytes(out.resolve("model.onnx")), new ai.onnxruntime.OrtSession.SessionOptions());
             ai.onnxruntime.OnnxTensor x0 = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(raw.xs().get(0)), new long[] {raw.rows(), 4});
             ai.onnxruntime.OnnxTensor x1 = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(raw.xs().get(1)), new long[] {raw.rows(), 4});
             ai.onnxruntime.OrtSession.Result r = session.run(java.util.Map.of("input_1", x0, "input_2", x1))) {
            for (int k = 0; k < 2; k++) {
                java.nio.FloatBuffer got = ((ai.onnxruntime.OnnxTensor) r.get(k)).getFloatBuffer();
                assertEquals(expected.get(k).length, got.remaining());
                for (int i = 0; i < expected.get(k).length; i++) {
                    assertEquals(expected.get(k)[i], got.get(i), 1e-5, "output " + k + " value " + i);
                }
            }
        }
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"petal_size\""));
    }

    @Test
    void numpyReproducesAConvolutionalModelsPredictions() throws Exception {
        assumeTrue(python("python3", "import numpy") == 0, "python3 with numpy is not installed");
        reproduceInPython("python3", "numpy", "export_cnn_numpy");
    }

    @Test
    void plainPytorchReproducesAConvolutionalModelsPredictions() throws Exception {
        assumeTrue(python("/usr/bin/python3", "import numpy, torch") == 0, "Debian's python3-torch is not installed");
        reproduceInPython("/usr/bin/python3", "torch", "export_cnn_torch");
    }

    /** Exports a CIFAR CNN with batch normalization and checks the loader's forward pass against Java's. */
    private static void reproduceInPython(String python, String engine, String name) throws Exception {
        String arch = Fitted.text("keras/05_madlibsite_cifar10_cnn_batchnorm_keras224.json");
        KerasNetwork network = new KerasNetwork(KerasArchitecture.parse(arch));
        float[] weights;
        try (NDManager m = NDManager.newBaseManager()) {
            network.initialize(m, 5);
            weights = network.flatKerasWeights();
        }
        // Move the moving statistics away from 0 and 1 so that a wrong BatchNormalization layout shows.
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < weights.length; i++) {
            weights[i] += (float) (0.01 * r.nextDouble());
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            classes.add("c" + i);
        }
        ChosenModel model = new ChosenModel("cnn", 1, arch, new byte[0], weights, "label", "image", classes, 255.0);
        Path out = dir.resolve(name);
        ModelExport.write(model, out);
        int rows = 3;
        int width = 32 * 32 * 3;
        float[] raw = new float[rows * width];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                raw[i * width + j] = r.nextInt(256);
                csv.append(j == 0 ? "" : ",").append((int) raw[i * width + j]);
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve(name + ".csv"), csv.toString());
        float[] x = raw.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / 255.0);
        }
        float[] expected;
        try (KerasPredictor p = ExportedModel.read(out).predictor()) {
            expected = p.predict(x, 0, rows);
        }
        List<String> lines = runLoader(python, engine, out, dir.resolve(name + ".csv"));
        assertEquals(rows, lines.size());
        for (int i = 0; i < rows; i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(10, f.length);
            for (int c = 0; c < 10; c++) {
                assertEquals(expected[i * 10 + c], Double.parseDouble(f[c]), 1e-5, "row " + i + " class " + c);
            }
        }
    }

    private static int python(String python, String code) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", code).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<String> runLoader(String python, String engine, Path export, Path rows) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, export.resolve("load_model.py").toString(), export.toString(), rows.toString(), engine)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "load_model.py finished");
        assertEquals(0, p.exitValue(), "load_model.py exit status");
        return out.lines().toList();
    }
}
