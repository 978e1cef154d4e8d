package io.hopper.model.runtime;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * PyTorch's oneDNN (mkldnn) switch, which Hopper turns off on CPUs that report no cache sizes, where oneDNN's
 * convolutions crash the process.
 *
 * <p>oneDNN sizes its convolution blocking by the caches the CPU reports; on virtual machines whose CPUID reports none
 * (Linux then lists no {@code /sys/devices/system/cpu/cpu0/cache/index*}), its BRGEMM 1x1 convolution heuristics
 * divide by zero and the JVM dies of SIGFPE (ResNet50, DenseNet121 and other networks with 1x1 convolutions; capping
 * the ISA with {@code ONEDNN_MAX_CPU_ISA=AVX2} does not avoid it). Without oneDNN, PyTorch convolves with its own
 * im2col and matrix products, the same results up to float rounding. This is PyTorch's
 * {@code torch.backends.mkldnn.enabled = False}, which DJL does not expose: it is called through JNA on the libtorch
 * DJL loaded, once per JVM, before the first model is built (so it holds in every JVM that trains or predicts:
 * the CLI, test forks, Spark executors).
 *
 * <p>The system property {@value #PROPERTY} chooses: {@code auto} (the default: off exactly when the cache sizes are
 * missing), {@code on} or {@code off}.
 */
public final class OneDnn {
    /** The system property that chooses auto, on or off. */
    public static final String PROPERTY = "hopper.onednn";
    private static final Path SYS_CPU0 = Path.of("/sys/devices/system/cpu/cpu0");
    /** The getters of PyTorch's global context (C++ mangled names in libtorch_cpu). */
    private static final String MKLDNN_GET = "_ZNK2at7Context17userEnabledMkldnnEv";
    private static final String NNPACK_GET = "_ZNK2at7Context17userEnabledNNPACKEv";
    private static boolean configured;

    private OneDnn() {
    }

    /**
     * Applies {@value #PROPERTY} once per JVM; later calls do nothing. Call after the PyTorch engine is loaded.
     *
     * @throws IllegalArgumentException when the property is not auto, on or off
     * @throws IllegalStateException when oneDNN must be turned off but the loaded libtorch has no such switch
     */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        boolean wanted = wanted(System.getProperty(PROPERTY, "auto"), SYS_CPU0);
        if (!wanted) {
            setEnabled(false);
            setNnpackEnabled(false);
        }
        configured = true;
    }

    /**
     * Whether oneDNN should stay on for this setting of {@value #PROPERTY} on the CPU described under {@code sysCpu}.
     *
     * @param setting auto, on or off (any case)
     * @param sysCpu a CPU's sysfs directory, e.g. /sys/devices/system/cpu/cpu0
     * @return true for on, false for off, and for auto whether the CPU reports its cache sizes (true off Linux)
     * @throws IllegalArgumentException when the setting is none of the three
     */
    static boolean wanted(String setting, Path sysCpu) {
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> !Files.isDirectory(sysCpu) || cacheSizesReported(sysCpu);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting
                    + ": not a oneDNN setting; use auto (off on CPUs that report no cache sizes), on or off");
        };
    }

    /** Whether {@code sysCpu/cache/index*} lists at least one cache with a non-zero size. */
    static boolean cacheSizesReported(Path sysCpu) {
        Path cache = sysCpu.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("index"))
                    .map(p -> p.resolve("size"))
                    .filter(Files::isReadable)
                    .anyMatch(OneDnn::nonZeroSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean nonZeroSize(Path size) {
        try {
            String text = Files.readString(size, StandardCharsets.US_ASCII).trim();
            return !text.isEmpty() && text.chars().filter(Character::isDigit).anyMatch(c -> c != '0');
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether PyTorch uses oneDNN now ({@code torch.backends.mkldnn.enabled}). */
    public static boolean enabled() {
        return flag(MKLDNN_GET);
    }

    /**
     * Turns PyTorch's use of oneDNN on or off for the whole JVM ({@code torch.backends.mkldnn.enabled = on}); for
     * benchmarks and tests, {@link #configure} decides it otherwise.
     *
     * @param on whether PyTorch may use oneDNN
     */
    public static synchronized void setEnabled(boolean on) {
        setFlag("oneDNN", "_ZN2at7Context20setUserEnabledMkldnnEb", MKLDNN_GET, on);
    }

    /** Whether PyTorch may use NNPACK for convolutions now ({@code torch.backends.nnpack.enabled}). */
    public static boolean nnpackEnabled() {
        return flag(NNPACK_GET);
    }

    /**
     * Turns PyTorch's use of NNPACK on or off for the whole JVM. With oneDNN off, PyTorch tries NNPACK for every
     * convolution, and on a CPU NNPACK does not support (the same virtual machines) it fails to initialize and prints
     * a warning on each call; {@link #configure} therefore turns it off together with oneDNN (NNPACK computes
     * nothing there, so results do not change).
     *
     * @param on whether PyTorch may use NNPACK
     */
    public static synchronized void setNnpackEnabled(boolean on) {
        setFlag("NNPACK", "_ZN2at7Context20setUserEnabledNNPACKEb", NNPACK_GET, on);
    }

    /** A boolean getter of PyTorch's global context ({@code at::globalContext()}), by its mangled symbol. */
    private static boolean flag(String getter) {
        return (call(getter).invokeInt(new Object[] {context()}) & 0xFF) != 0;
    }

    /** Calls a boolean setter of PyTorch's global context and checks with its getter that PyTorch took the value. */
    private static void setFlag(String what, String setter, String getter, boolean on) {
        call(setter).invokeVoid(new Object[] {context(), on});
        if (flag(getter) != on) {
            throw new IllegalStateException(what + ": PyTorch did not take enabled=" + on + "; run with -D" + PROPERTY
                    + "=on to leave it alone");
        }
    }

    private static Pointer context() {
        return call("_ZN2at13globalContextEv").invokePointer(new Object[0]);
    }

    private static com.sun.jna.Function call(String symbol) {
        Path lib = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"));
        try {
            return NativeLibrary.getInstance(lib.toString()).getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("oneDNN: " + lib + " has no " + symbol + " (another PyTorch build?); run with -D"
                    + PROPERTY + "=on to leave oneDNN alone", e);
        }
    }
}
