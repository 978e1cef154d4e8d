// Calling Hopper from Java: pack iris, load MADlib's iris MLP, build a selection table, train, print a leaderboard.
//
// Run it from the repository root (after ./hopper --version has built the jars):
//   java -cp "hopper-cli/target/hopper-cli.jar:hopper-cli/target/lib/*" docs/ApiExample.java /tmp/example-store
import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.api.Hopper;
import io.hopper.api.LoadKerasModelSpec;
import io.hopper.api.ModelSelectionSpec;
import io.hopper.data.PackedSummary;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.model.params.MstEntry;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

public class ApiExample {
    public static void main(String[] args) {
        String storeDir = args.length > 0 ? args[0] : "example-store";
        try (Hopper hopper = Hopper.open(storeDir)) {
            PackedSummary packed = hopper.preprocessTraining(TrainingPreprocessSpec.builder()
                    .setSource(SourceSpec.parse("csv:" + Path.of("examples/iris.csv")))
                    .setOutputTable("iris_train")
                    .setDependentVarname("species")
                    .setIndependentVarname("sepal_length,sepal_width,petal_length,petal_width")
                    .optPartitions(3)
                    .optSeed(7)
                    .build());
            System.out.println("packed " + packed.totalRows() + " rows into " + packed.numBuffers() + " buffers");

            int modelId = hopper.loadKerasModel(LoadKerasModelSpec.builder()
                    .setModelArchTable("arch")
                    .setModelArch(Path.of("examples/iris_mlp.json"))
                    .optName("iris MLP")
                    .build());
            System.out.println(Hopper.archSummary(Path.of("examples/iris_mlp.json")).render());

            List<MstEntry> configs = hopper.loadModelSelectionTable(new ModelSelectionSpec("arch", "mst", List.of(modelId),
                    List.of("loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                            "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']"),
                    List.of("batch_size=16, epochs=1")));
            configs.forEach(c -> System.out.println("mst_key " + c.mstKey() + ": " + c.compileParams() + " | " + c.fitParams()));

            FitResult fit = hopper.fitMultipleModel(FitSpec.builder()
                    .setSourceTable("iris_train")
                    .setModelOutputTable("iris_models")
                    .setModelSelectionTable("mst")
                    .setNumIterations(5)
                    .optUseCaching(true)
                    .optSeed(7)
                    .build());
            fit.models().stream()
                    .sorted(Comparator.comparingDouble(FitResult.ModelOutcome::trainingLoss))
                    .forEach(m -> System.out.printf("mst_key %d  training loss %.4f  accuracy %.3f%n",
                            m.mstKey(), m.trainingLoss(), m.trainingMetric().orElse(Double.NaN)));
        }
    }
}
