package io.hopper.engine;

import io.hopper.data.PackedBuffer;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitRunnerTest {
    private static final String ARCH_FILE = "src/test/resources/keras/01_madlib_iris_mlp_keras216.json";

    /** A buffer of random iris-shaped rows (4 features, 3 one-hot classes). */
    private static PackedBuffer buffer(int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * 4];
        short[] y = new short[rows * 3];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (c + r.nextGaussian() * 0.5);
            }
            y[i * 3 + c] = 1;
        }
        return new PackedBuffer(0, x, List.of(rows, 4), y, List.of(rows, 3));
    }

    private static UnitRunner runner() {
        return new UnitRunner(true, (table, partition) -> List.of(buffer(30, partition + 1)));
    }

    private static CompileParams compile(String optimizer) {
        return ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='" + optimizer + "', metrics=['accuracy']");
    }

    /** One train unit of a fresh runner: what a configuration's unit must give whatever the runner ran before. */
    private static byte[] fresh(String arch, String optimizer, byte[] state, FitParams fit) {
        try (UnitRunner r = runner()) {
            return r.run(3, Phase.TRAIN, "t", 0, arch, () -> compile(optimizer), fit, state, 42).state();
        }
    }

    @Test
    void aKeptModelFollowsSettingsThatChangedBetweenUnits() throws IOException {
        String arch = Files.readString(Path.of(ARCH_FILE), StandardCharsets.UTF_8);
        FitParams fit = ParamParser.parseFit("batch_size=8, epochs=1");
        byte[] adam = seedState(arch, "Adam(lr=0.01)");
        byte[] sgd = seedState(arch, "SGD(lr=0.1, momentum=0.9)");
        try (UnitRunner r = runner()) {
            byte[] a = r.run(3, Phase.TRAIN, "t", 0, arch, () -> compile("Adam(lr=0.01)"), fit, adam, 42).state();
            assertArrayEquals(fresh(arch, "Adam(lr=0.01)", adam, fit), a);
            // only the learning rate changed: the kept model takes it in place and keeps nothing else from before
            byte[] b = r.run(3, Phase.TRAIN, "t", 0, arch, () -> compile("Adam(lr=0.003)"), fit, a, 42).state();
            assertArrayEquals(fresh(arch, "Adam(lr=0.003)", a, fit), b);
            // another optimizer (other state entries): the kept model is rebuilt
            byte[] c = r.run(3, Phase.TRAIN, "t", 0, arch, () -> compile("SGD(lr=0.1, momentum=0.9)"), fit, sgd, 42).state();
            assertArrayEquals(fresh(arch, "SGD(lr=0.1, momentum=0.9)", sgd, fit), c);
            // and back
            byte[] d = r.run(3, Phase.TRAIN, "t", 0, arch, () -> compile("Adam(lr=0.01)"), fit, b, 42).state();
            assertArrayEquals(fresh(arch, "Adam(lr=0.01)", b, fit), d);
            assertEquals(1, r.cachedPartitions());
        }
    }

    /** The first state of a model seeded with 5. */
    private static byte[] seedState(String arch, String optimizer) {
        try (TrainableModel m = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(arch)), compile(optimizer), 5)) {
            return m.exportState();
        }
    }
}
