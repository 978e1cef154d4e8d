package io.hopper.data;

import io.hopper.store.FileStore;

import java.nio.file.Path;

/**
 * The main class {@link BoundedMemoryTest} runs in a JVM with a small heap: packs a CSV of columns c0..c19 and
 * label into a FileStore and prints the chunk size and the peak heap it saw.
 */
public final class ForkedPreprocess {
    private ForkedPreprocess() {
    }

    /**
     * Runs one preprocess.
     *
     * @param args store directory, CSV path, output table
     */
    public static void main(String[] args) {
        StringBuilder x = new StringBuilder("c0");
        for (int i = 1; i < BoundedMemoryTest.COLUMNS; i++) {
            x.append(",c").append(i);
        }
        try (FileStore store = new FileStore(Path.of(args[0]))) {
            PackedSummary s = new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder()
                    .setSource(new SourceSpec.Csv(Path.of(args[1]))).setOutputTable(args[2]).setDependentVarname("label")
                    .setIndependentVarname(x.toString()).optBufferSize(BoundedMemoryTest.BUFFER_SIZE).optPartitions(2)
                    .optSeed(3).build());
            System.out.println("rows=" + s.totalRows() + " chunkBytes=" + Packer.defaultChunkBytes()
                    + " maxHeap=" + Runtime.getRuntime().maxMemory());
        }
    }
}
