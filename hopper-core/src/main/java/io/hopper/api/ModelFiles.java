package io.hopper.api;

import io.hopper.Echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The model files users bring to load-keras-model and arch-summary: the architecture as Keras's {@code model.to_json()}
 * text (or a TensorFlow.js {@code model.json}) or a Keras 3 {@code .keras} archive, whose {@code config.json} is that
 * document; and initial weights as raw float32. An HDF5 file (Keras's {@code .h5} save) is refused saying how to
 * write the JSON.
 */
public final class ModelFiles {
    /** The largest architecture document read: a Keras model.to_json() of even a large model is a few megabytes. */
    static final long MAX_TEXT_BYTES = 64L << 20;
    /** The largest weights file read (one Java array). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8L;
    /** The document in a Keras 3 {@code .keras} archive. */
    static final String KERAS_CONFIG = "config.json";
    /** The weights in a Keras 3 {@code .keras} archive (HDF5, not read by Hopper). */
    static final String KERAS_WEIGHTS = "model.weights.h5";

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private ModelFiles() {
    }

    /**
     * The Keras document of an architecture file: its text, or the {@code config.json} of a {@code .keras} archive.
     *
     * @throws IllegalArgumentException when the file is missing, too large, not UTF-8, an HDF5 file, or an archive
     *     without {@code config.json}
     */
    public static String readArchitecture(Path path) {
        byte[] bytes = read("model architecture", path, MAX_TEXT_BYTES);
        if (startsWith(bytes, HDF5)) {
            throw new IllegalArgumentException("model architecture file '" + Echo.of(path.toString()) + "' is an HDF5 file (Keras's .h5"
                    + " save), which Hopper does not read; write the architecture with open('model.json', 'w').write(model.to_json())"
                    + " (and the weights as float32 for --model-weights), or save a Keras 3 .keras file");
        }
        if (startsWith(bytes, ZIP)) {
            return utf8(path, kerasConfig(path));
        }
        return utf8(path, bytes);
    }

    /**
     * Whether {@code path} is a Keras 3 {@code .keras} archive that holds weights ({@code model.weights.h5}), which
     * {@link #readArchitecture} leaves out.
     */
    public static boolean hasUnreadWeights(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            if (!Arrays.equals(in.readNBytes(ZIP.length), ZIP)) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            return zip.getEntry(KERAS_WEIGHTS) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The bytes of a weights file. */
    static byte[] readWeights(Path path) {
        return read("model weights", path, MAX_BYTES);
    }

    private static byte[] kerasConfig(Path path) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry config = zip.getEntry(KERAS_CONFIG);
            if (config == null) {
                throw new IllegalArgumentException("model architecture file '" + Echo.of(path.toString()) + "' is a zip archive without "
                        + KERAS_CONFIG + ", so not a Keras 3 .keras file; give model.save('model.keras')'s file or model.to_json()'s text");
            }
            try (InputStream in = zip.getInputStream(config)) {
                byte[] bytes = in.readNBytes((int) MAX_TEXT_BYTES + 1);
                if (bytes.length > MAX_TEXT_BYTES) {
                    throw new IllegalArgumentException("model architecture file '" + Echo.of(path.toString()) + "': its " + KERAS_CONFIG
                            + " has more than the " + MAX_TEXT_BYTES + " bytes Hopper reads; check that it is the right file");
                }
                return bytes;
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException("model architecture file '" + Echo.of(path.toString()) + "' is a damaged zip archive ("
                    + e.getMessage() + "); save the .keras file again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model architecture file '" + path + "': " + e.getMessage(), e);
        }
    }

    private static String utf8(Path path, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("model architecture file '" + Echo.of(path.toString()) + "' is not valid UTF-8; save it as"
                    + " UTF-8 JSON (Keras model.to_json() writes UTF-8)");
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] read(String what, Path path, long maxBytes) {
        try {
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException(what + " file '" + Echo.of(path.toString()) + "' is a directory; give the file");
            }
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new IllegalArgumentException(what + " file '" + Echo.of(path.toString()) + "' has " + size + " bytes, more than"
                        + " the " + maxBytes + " Hopper reads; check that it is the right file");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " file '" + path + "' does not exist; check the path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " file '" + path + "': " + e.getMessage(), e);
        }
    }
}
