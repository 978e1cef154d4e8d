package io.hopper.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Rows of an IDX pair (the MNIST format): images with magic 0x00000803 (unsigned bytes, n x rows x cols) and labels
 * with magic 0x00000801 (unsigned bytes, n). Each image is one sample of shape [rows, cols, 1] (channels last);
 * its label is the class value. X and Y are named {@code image} and {@code label}.
 */
final class IdxSource implements SampleSource {
    /** The magic number of an unsigned-byte 3-D IDX file. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an unsigned-byte 1-D IDX file. */
    static final int LABELS_MAGIC = 0x00000801;

    /** The most pixels one image may have (4096 x 4096): its float32 X then takes 64 MiB. */
    static final long MAX_PIXELS = 1L << 24;

    private final SourceSpec.Idx spec;

    IdxSource(SourceSpec.Idx spec, List<List<String>> x, List<String> y) {
        this.spec = spec;
        if (!x.equals(List.of(List.of("image"))) || !List.of("label").equals(y)) {
            throw new IllegalArgumentException(spec.text() + ": an idx source has X 'image' and Y 'label', not "
                    + String.join(" ", x.stream().map(g -> String.join(",", g)).toList()) + " and " + String.join(" ", y) + "; use --independent-varname image --dependent-varname label");
        }
    }

    @Override
    public String describe() {
        return spec.text();
    }

    @Override
    public String positionWord() {
        return "image";
    }

    @Override
    public String dependentVartype(int k) {
        return "integer";
    }

    @Override
    public void read(SampleSink sink) {
        String what = describe();
        try (InputStream imagesIn = InputFiles.open(what, spec.images());
             InputStream labelsIn = InputFiles.open(what, spec.labels())) {
            DataInputStream images = new DataInputStream(imagesIn);
            DataInputStream labels = new DataInputStream(labelsIn);
            int n = header(images, spec.images(), IMAGES_MAGIC, "images");
            int rows = readInt(images, spec.images());
            int cols = readInt(images, spec.images());
            int m = header(labels, spec.labels(), LABELS_MAGIC, "labels");
            if (n != m) {
                throw new IllegalArgumentException(what + ": the images file holds " + n + " images but the labels file " + m
                        + " labels; use the labels that belong to these images");
            }
            if (rows <= 0 || cols <= 0 || (long) rows * cols > MAX_PIXELS) {
                throw new IllegalArgumentException(what + ": images of " + rows + "x" + cols + " pixels (" + (long) rows * cols
                        + "); an image needs 1 to " + MAX_PIXELS + " pixels, so the images file is corrupt or not an image set");
            }
            int[][] shape = {{rows, cols, 1}};
            String[] y = new String[1];
            double[][] noArrays = new double[1][];
            byte[] pixels = new byte[rows * cols];
            double[] x = new double[rows * cols];
            double[][] xs = {x};
            String[] labelText = new String[256];
            for (int i = 0; i < labelText.length; i++) {
                labelText[i] = Integer.toString(i);
            }
            for (int i = 0; i < n; i++) {
                readFully(images, pixels, spec.images(), i, n);
                int label = readLabel(labels, i, n);
                for (int j = 0; j < pixels.length; j++) {
                    x[j] = pixels[j] & 0xff;
                }
                y[0] = labelText[label];
                sink.accept(xs, shape, y, noArrays, i + 1L);
            }
        } catch (IOException e) {
            throw InputFiles.failure(what, spec.images(), "while closing", e);
        }
    }

    private int header(DataInputStream in, Path path, int expected, String kind) {
        int magic = readInt(in, path);
        if (magic != expected) {
            throw new IllegalArgumentException(describe() + ": file '" + path + "' has magic number " + String.format("0x%08x", magic)
                    + " where IDX " + kind + " have " + String.format("0x%08x", expected)
                    + "; give idx:IMAGES,LABELS (unsigned-byte images, then labels)");
        }
        int n = readInt(in, path);
        if (n < 0) {
            throw new IllegalArgumentException(describe() + ": file '" + path + "' claims " + n + " items; the file is corrupt");
        }
        return n;
    }

    private int readInt(DataInputStream in, Path path) {
        try {
            return in.readInt();
        } catch (IOException e) {
            throw InputFiles.failure(describe(), path, "inside its header", e);
        }
    }

    private int readLabel(DataInputStream in, int index, int n) {
        try {
            int label = in.read();
            if (label < 0) {
                throw new EOFException();
            }
            return label;
        } catch (IOException e) {
            throw InputFiles.failure(describe(), spec.labels(), "at label " + (index + 1) + " of " + n, e);
        }
    }

    private void readFully(DataInputStream in, byte[] buf, Path path, int index, int n) {
        try {
            in.readFully(buf);
        } catch (IOException e) {
            throw InputFiles.failure(describe(), path, "at image " + (index + 1) + " of " + n, e);
        }
    }
}
