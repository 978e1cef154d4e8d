package io.hopper.fit;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a fit needs, by MADlib's formula for this engine's representation: the partition cache (every
 * cached row takes 4 bytes per X value and 2 per class, the decoded float32 and int16 arrays), the partitions the
 * workers decode at the same time (each worker holds one decoded partition while it trains, cached or not), the
 * model states resident on the workers (each worker keeps a model per configuration) and on the driver (one state per
 * configuration), and a headroom of {@value #HEADROOM_PERCENT}% on top for everything else (the JVM, PyTorch's
 * buffers, gradients, activations).
 *
 * @param cacheBytes bytes of decoded partitions kept in memory (0 without caching); Java heap
 * @param partitionBytes bytes of the partitions the workers decode at once (the largest partitions, one per worker);
 *                       Java heap
 * @param modelBytes the sum over the configurations of one model state's size
 * @param workers the number of workers, each holding every configuration's model
 */
public record MemoryEstimate(long cacheBytes, long partitionBytes, long modelBytes, int workers) {
    /** The headroom added to every estimate, in percent. */
    public static final int HEADROOM_PERCENT = 25;
    /** The largest model state: one Java array. */
    public static final long MAX_STATE_BYTES = Integer.MAX_VALUE - 8L;
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?", Pattern.CASE_INSENSITIVE);

    /** Validates. */
    public MemoryEstimate {
        if (cacheBytes < 0 || partitionBytes < 0 || modelBytes < 0 || workers < 1) {
            throw new IllegalArgumentException("memory estimate: cache=" + cacheBytes + ", partitions=" + partitionBytes
                    + ", models=" + modelBytes + ", workers=" + workers + "; need non-negative sizes and at least one worker");
        }
    }

    /** An estimate without decoded partitions (a fit whose partitions are accounted for in the cache). */
    public MemoryEstimate(long cacheBytes, long modelBytes, int workers) {
        this(cacheBytes, 0, modelBytes, workers);
    }

    /**
     * The cache bytes of {@code rows} rows of {@code xValues} float32 features and {@code classes} int16 labels each.
     */
    public static long cacheBytes(long rows, long xValues, int classes) {
        return saturatingMultiply(rows, saturatingAdd(saturatingMultiply(4, xValues), 2L * classes));
    }

    /**
     * An upper bound of one model state's bytes before it is built: float32 weights plus two optimizer slots per
     * weight (Adam's moments), plus a little for names and counters.
     */
    public static long stateBytesBound(long params) {
        return saturatingAdd(saturatingMultiply(12, params), 1L << 16);
    }

    /** The model bytes: one copy per worker plus the driver's. */
    public long residentModelBytes() {
        return saturatingMultiply(modelBytes, workers + 1L);
    }

    /** Cache, decoded partitions and resident models, without headroom. */
    public long totalBytes() {
        return saturatingAdd(saturatingAdd(cacheBytes, partitionBytes), residentModelBytes());
    }

    /** The total with the headroom: what the limit must allow. */
    public long neededBytes() {
        return withHeadroom(totalBytes());
    }

    /** What lives on the Java heap (cache, decoded partitions, the driver's states), with the headroom. */
    public long heapBytes() {
        return withHeadroom(saturatingAdd(saturatingAdd(cacheBytes, partitionBytes), modelBytes));
    }

    /**
     * Refuses a fit that would not fit in memory.
     *
     * @param limitBytes the allowed total (--memory-limit or the physical memory)
     * @param maxHeapBytes the Java heap maximum, which the cache, the decoded partitions and the driver's states
     *                     must fit in
     * @throws IllegalArgumentException naming the sizes and what to change
     */
    public void check(long limitBytes, long maxHeapBytes) {
        if (neededBytes() > limitBytes) {
            throw new IllegalArgumentException("memory: the fit needs about " + format(neededBytes()) + " (" + describe()
                    + ") but the limit is " + format(limitBytes) + "; use fewer workers or configurations, smaller models,"
                    + " drop --use-caching, or raise --memory-limit");
        }
        if (heapBytes() > maxHeapBytes) {
            throw new IllegalArgumentException("memory: the partition cache, the decoded partitions and the driver's model"
                    + " states need " + format(heapBytes()) + " with " + HEADROOM_PERCENT + "% headroom but the Java heap may grow"
                    + " to " + format(maxHeapBytes) + " only; raise -Xmx (HOPPER_JAVA_OPTS=-Xmx8g), use fewer workers or"
                    + " configurations, or drop --use-caching");
        }
    }

    /** One line: cache, partition and model figures. */
    public String describe() {
        return "cache " + format(cacheBytes) + " + decoded partitions " + format(partitionBytes) + " + models "
                + format(modelBytes) + " x " + (workers + 1) + " copies (" + workers + " workers and the driver) = "
                + format(totalBytes()) + ", " + format(neededBytes()) + " with " + HEADROOM_PERCENT + "% headroom";
    }

    private static long withHeadroom(long bytes) {
        return saturatingAdd(bytes, saturatingMultiply(bytes / 100, HEADROOM_PERCENT));
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /** The machine's physical memory in bytes. */
    public static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }

    /**
     * Parses a size such as {@code 8g}, {@code 512m}, {@code 64k} or {@code 1000} (bytes); the suffixes are powers of
     * 1024.
     *
     * @param what the flag name for the message
     * @param text the size
     */
    public static long parseSize(String what, String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a size; use a number of bytes with an optional k, m, g "
                    + "or t suffix, e.g. 8g");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(what + " '" + text + "' must be between 1 byte and 8 exbibytes; use e.g. 8g");
        }
        return value << shift;
    }

    /** A size in KiB, MiB or GiB with one decimal. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
