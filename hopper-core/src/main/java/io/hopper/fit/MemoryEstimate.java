package io.hopper.fit;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a fit needs, by MADlib's formula for this engine's representation: the partition cache (every
 * cached row takes 4 bytes per X value and 2 per class, the decoded float32 and int16 arrays) plus the model
 * states resident on the workers (each worker keeps a model per configuration) and on the driver (one state per
 * configuration).
 *
 * @param cacheBytes bytes of decoded partitions kept in memory (0 without caching); Java heap
 * @param modelBytes the sum over the configurations of one model state's size
 * @param workers the number of workers, each holding every configuration's model
 */
public record MemoryEstimate(long cacheBytes, long modelBytes, int workers) {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?", Pattern.CASE_INSENSITIVE);

    /** Validates. */
    public MemoryEstimate {
        if (cacheBytes < 0 || modelBytes < 0 || workers < 1) {
            throw new IllegalArgumentException("memory estimate: cache=" + cacheBytes + ", models=" + modelBytes + ", workers="
                    + workers + "; need non-negative sizes and at least one worker");
        }
    }

    /**
     * The cache bytes of {@code rows} rows of {@code xValues} float32 features and {@code classes} int16 labels each.
     */
    public static long cacheBytes(long rows, long xValues, int classes) {
        return rows * (4 * xValues + 2L * classes);
    }

    /** The model bytes: one copy per worker plus the driver's. */
    public long residentModelBytes() {
        return modelBytes * (workers + 1L);
    }

    /** Cache plus resident models. */
    public long totalBytes() {
        return cacheBytes + residentModelBytes();
    }

    /**
     * Refuses a fit that would not fit in memory.
     *
     * @param limitBytes the allowed total (--memory-limit or the physical memory)
     * @param maxHeapBytes the Java heap maximum, which the cache must fit in
     * @throws IllegalArgumentException naming the sizes and what to change
     */
    public void check(long limitBytes, long maxHeapBytes) {
        if (totalBytes() > limitBytes) {
            throw new IllegalArgumentException("memory: the fit needs about " + format(totalBytes()) + " (" + describe()
                    + ") but the limit is " + format(limitBytes) + "; use fewer workers or configurations, drop --use-caching, "
                    + "or raise --memory-limit");
        }
        if (cacheBytes > maxHeapBytes) {
            throw new IllegalArgumentException("memory: the partition cache needs " + format(cacheBytes)
                    + " but the Java heap may grow to " + format(maxHeapBytes) + " only; raise -Xmx or drop --use-caching");
        }
    }

    /** One line: cache and model figures. */
    public String describe() {
        return "cache " + format(cacheBytes) + " + models " + format(modelBytes) + " x " + (workers + 1)
                + " copies (" + workers + " workers and the driver) = " + format(totalBytes());
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
