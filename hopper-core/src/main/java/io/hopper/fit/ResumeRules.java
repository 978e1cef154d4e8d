package io.hopper.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When a run may start or resume, given what the store holds: pure comparisons, each refusal one line naming the
 * input, the rule and the fix (IllegalArgumentException, exit 2 on the command line).
 *
 * <ul>
 *   <li>A new run (no {@code --resume}) is refused while {@code <out>_checkpoint} exists: an interrupted run of the
 *       same output is waiting.</li>
 *   <li>{@code --resume} is refused without a checkpoint, when any argument differs from the interrupted run's, and
 *       when an input table (packed data, architecture table, mst table) changed since.</li>
 * </ul>
 */
public final class ResumeRules {
    private ResumeRules() {
    }

    /**
     * Refuses a new run of {@code out} while a checkpoint of an interrupted run exists.
     *
     * @param checkpointExists whether {@code <out>_checkpoint} exists
     */
    public static void requireNoCheckpoint(String out, boolean checkpointExists) {
        requireNoCheckpoint(out, checkpointExists, List.of());
    }

    /**
     * {@link #requireNoCheckpoint(String, boolean)} for a run that also made {@code alsoMade} before it was interrupted
     * (a search's mst table): discarding it means dropping those too.
     */
    public static void requireNoCheckpoint(String out, boolean checkpointExists, List<String> alsoMade) {
        if (checkpointExists) {
            String table = CheckpointTable.name(out);
            StringBuilder drops = new StringBuilder("`hopper table drop " + table + "`");
            alsoMade.forEach(t -> drops.append(" and `hopper table drop ").append(t).append('`'));
            throw new IllegalArgumentException("model_output_table '" + out + "' has the checkpoint of an interrupted run ('" + table
                    + "'); continue that run with --resume (and the same arguments), or discard it with " + drops
                    + " and start again");
        }
    }

    /** Refuses {@code --resume} of {@code out} when there is no checkpoint to continue from. */
    public static void requireCheckpoint(String out, boolean checkpointExists) {
        if (!checkpointExists) {
            resumable(out, Optional.empty(), Map.of(), Map.of());
        }
    }

    /**
     * The checkpoint a resumed run of {@code out} continues from.
     *
     * @param found the checkpoint in the store, if any
     * @param arguments the resumed run's arguments, by name, as {@link Checkpoint#arguments()} holds them
     * @param fingerprints the resumed run's input tables' SHA-256, by table name
     * @throws IllegalArgumentException when there is no checkpoint, an argument differs or an input changed
     */
    public static Checkpoint resumable(String out, Optional<Checkpoint> found, Map<String, String> arguments,
                                       Map<String, String> fingerprints) {
        String table = CheckpointTable.name(out);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("--resume: model_output_table '" + out + "' has no checkpoint (no table '" + table
                    + "'), so there is no interrupted run to continue; run without --resume to start it");
        }
        Checkpoint c = found.get();
        List<String> differ = new ArrayList<>();
        for (String key : new TreeSet<>(union(c.arguments(), arguments))) {
            String was = c.arguments().get(key);
            String now = arguments.get(key);
            if (was == null ? now != null : !was.equals(now)) {
                differ.add(key + " " + shown(now) + " (the interrupted run had " + shown(was) + ")");
            }
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + String.join(", ", differ) + "; resume with the interrupted run's "
                    + "arguments, or discard its checkpoint with `hopper table drop " + table + "` and start again");
        }
        List<String> changed = new ArrayList<>();
        for (String t : new TreeSet<>(union(c.fingerprints(), fingerprints))) {
            String was = c.fingerprints().get(t);
            String now = fingerprints.get(t);
            if (was == null || !was.equals(now)) {
                changed.add("'" + t + "'");
            }
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("--resume: table" + (changed.size() == 1 ? " " : "s ") + String.join(", ", changed)
                    + (changed.size() == 1 ? " changed" : " changed") + " since the interrupted run (the content's SHA-256 differs), so "
                    + "its checkpoint does not apply; restore the table" + (changed.size() == 1 ? "" : "s")
                    + ", or discard the checkpoint with `hopper table drop " + table + "` and start again");
        }
        return c;
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String shown(String value) {
        return value == null ? "not given" : value.isEmpty() ? "''" : value;
    }
}
