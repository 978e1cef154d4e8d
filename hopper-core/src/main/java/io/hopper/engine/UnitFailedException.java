package io.hopper.engine;

import io.hopper.mop.Unit;

import java.util.Objects;

/**
 * A unit failed on every attempt {@link UnitRetry} gave it: the configuration it belongs to fails, the others go on.
 */
public final class UnitFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The unit. */
    private final transient Unit unit;
    private final int attempts;
    private final String reason;

    /**
     * A unit that failed {@code attempts} times, the last time with {@code cause}.
     *
     * @param unit the unit
     * @param attempts how many attempts ran, at least 1
     * @param cause the last attempt's failure
     */
    public UnitFailedException(Unit unit, int attempts, Throwable cause) {
        super("unit " + Objects.requireNonNull(unit, "unit") + " failed " + attempts + " time" + (attempts == 1 ? "" : "s")
                + ": " + reasonOf(cause), cause);
        this.unit = unit;
        this.attempts = attempts;
        this.reason = reasonOf(cause);
    }

    /** The unit that failed. */
    public Unit unit() {
        return unit;
    }

    /** How many attempts ran. */
    public int attempts() {
        return attempts;
    }

    /** The last attempt's failure as one line: its message, or its class name when it has none. */
    public String reason() {
        return reason;
    }

    /** A throwable as one line: its message (whitespace runs folded), or its simple class name without one. */
    static String reasonOf(Throwable cause) {
        Throwable t = cause;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t == null ? null : t.getMessage();
        if (message == null || message.isBlank()) {
            return t == null ? "unknown failure" : t.getClass().getSimpleName();
        }
        return message.replaceAll("\\s+", " ").trim();
    }
}
