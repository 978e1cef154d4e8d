package io.hopper.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs docs/ApiExample.java as a user would, so the documented example cannot rot. */
class ApiExampleTest {

    @Test
    void theDocumentedExampleRunsAndTrains(@TempDir Path dir) throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path example = root.resolve("docs/ApiExample.java");
        assertTrue(Files.exists(example), example.toString());
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), example.toString(), dir.resolve("store").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example did not finish in 5 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("packed 150 rows into 3 buffers"), out);
        assertTrue(out.contains("total_params=193 trainable_params=193 non_trainable_params=0"), out);
        assertEquals(2, lines.stream().filter(l -> l.matches("mst_key \\d  training loss \\d+\\.\\d{4}  accuracy \\d\\.\\d{3}")).count(), out);
    }
}
