package io.hopper.model.runtime;

import io.hopper.data.PackedBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The iris data set (test resource iris.csv), shuffled with a fixed seed and packed into buffers. */
final class Iris {
    private static final Map<String, Integer> SPECIES = Map.of("setosa", 0, "versicolor", 1, "virginica", 2);

    private Iris() {
    }

    /** Buffers of the given sizes (summing to at most 150) over the shuffled rows. */
    static List<PackedBuffer> buffers(int... sizes) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Iris.class.getResourceAsStream("/iris.csv"), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(line.split(","));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = rows.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String[] t = rows.get(i);
            rows.set(i, rows.get(j));
            rows.set(j, t);
        }
        List<PackedBuffer> buffers = new ArrayList<>();
        int next = 0;
        for (int b = 0; b < sizes.length; b++) {
            int n = sizes[b];
            float[] x = new float[n * 4];
            short[] y = new short[n * 3];
            for (int r = 0; r < n; r++) {
                String[] row = rows.get(next++);
                for (int c = 0; c < 4; c++) {
                    x[r * 4 + c] = Float.parseFloat(row[c]);
                }
                y[r * 3 + SPECIES.get(row[4])] = 1;
            }
            buffers.add(new PackedBuffer(b, x, List.of(n, 4), y, List.of(n, 3)));
        }
        return buffers;
    }
}
