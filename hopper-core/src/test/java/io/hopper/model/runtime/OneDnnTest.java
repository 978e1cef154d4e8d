package io.hopper.model.runtime;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
            try {
                OneDnn.setEnabled(!configured);
                assertEquals(!configured, OneDnn.enabled());
            } finally {
                OneDnn.setEnabled(configured);
            }
            assertEquals(configured, OneDnn.enabled());
        }
    }
}
