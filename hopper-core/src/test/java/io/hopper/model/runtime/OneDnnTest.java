package io.hopper.model.runtime;

import ai.djl.ndarray.NDManager;
import io.hopper.data.PackedBuffer;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.ParamParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneDnnTest {
    private static Path cpu(Path dir, String... sizes) throws IOException {
        Path cpu = dir.resolve("cpu0");
        Files.createDirectories(cpu);
        for (int i = 0; i < sizes.length; i++) {
            Path index = Files.createDirectories(cpu.resolve("cache/index" + i));
            Files.writeString(index.resolve("size"), sizes[i] + "\n");
        }
        return cpu;
    }

    @Test
    void autoKeepsOneDnnExactlyWhenTheCpuReportsACacheSize(@TempDir Path dir) throws IOException {
        assertTrue(OneDnn.wanted("auto", cpu(dir.resolve("a"), "48K", "32K", "1024K")));
        assertFalse(OneDnn.wanted("auto", cpu(dir.resolve("b"))), "no cache directory");
        assertFalse(OneDnn.wanted("auto", cpu(dir.resolve("c"), "0K", "")), "only empty sizes");
        assertTrue(OneDnn.wanted("auto", dir.resolve("no-sysfs")), "off Linux there is nothing to tell by");
        assertTrue(OneDnn.wanted("ON", cpu(dir.resolve("b"))));
        assertFalse(OneDnn.wanted("off", cpu(dir.resolve("a"))));
    }

    @Test
    void anUnknownSettingIsRefusedWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneDnn.wanted("disabled", Path.of("/")));
        assertEquals("-Dhopper.onednn=disabled: not a oneDNN setting; use auto (off on CPUs that report no cache sizes), on or off",
                e.getMessage());
    }

    @Test
    void theSwitchReachesPyTorchAndConfigureFollowsThisMachine() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine();
            OneDnn.configure();
            boolean configured = OneDnn.enabled();
            assertEquals(OneDnn.wanted(System.getProperty(OneDnn.PROPERTY, "auto"), Path.of("/sys/devices/system/cpu/cpu0")), configured);
            if (!configured) {
                assertFalse(OneDnn.nnpackEnabled(), "NNPACK goes off with oneDNN (else a warning per convolution)");
            }
            try {
                OneDnn.setEnabled(!configured);
                assertEquals(!configured, OneDnn.enabled());
            } finally {
                OneDnn.setEnabled(configured);
            }
            assertEquals(configured, OneDnn.enabled());
        }
    }

    @Test
    void theNnpackSwitchReachesPyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine();
            boolean before = OneDnn.nnpackEnabled();
            try {
                OneDnn.setNnpackEnabled(!before);
                assertEquals(!before, OneDnn.nnpackEnabled());
            } finally {
                OneDnn.setNnpackEnabled(before);
            }
            assertEquals(before, OneDnn.nnpackEnabled());
        }
    }

    @Test
    void aCnnGivesTheSameLossWithOneDnnOnAndOffUpToRounding() throws IOException {
        // MADlib's CIFAR CNN (3x3 convolutions, which oneDNN plans without the crash even here), on a seeded batch.
        String json;
        try (InputStream in = OneDnnTest.class.getResourceAsStream("/keras/04_madlib_cifar_cnn_keras216.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SplittableRandom random = new SplittableRandom(4);
        float[] x = new float[8 * 32 * 32 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        short[] y = new short[8 * 2];
        for (int r = 0; r < 8; r++) {
            y[r * 2 + random.nextInt(2)] = 1;
        }
        List<PackedBuffer> data = List.of(new PackedBuffer(0, x, List.of(8, 32, 32, 3), y, List.of(8, 2)));
        CompileParams compile = ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='SGD(lr=0.1)', metrics=['accuracy']");
        double[] losses = new double[2];
        try (TrainableModel model = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(json)), compile, 3)) {
            boolean configured = OneDnn.enabled();
            try {
                for (int on = 0; on < 2; on++) {
                    OneDnn.setEnabled(on == 1);
                    losses[on] = model.evaluate(data).loss();
                }
            } finally {
                OneDnn.setEnabled(configured);
            }
        }
        assertTrue(Double.isFinite(losses[0]) && losses[0] > 0, Arrays.toString(losses));
        assertEquals(losses[1], losses[0], 1e-5 * losses[1], "off vs on");
    }
}
