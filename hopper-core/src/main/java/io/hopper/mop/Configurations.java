package io.hopper.mop;

import java.util.Arrays;
import java.util.List;

/**
 * The configurations a fit trains, as their mst keys in ascending order ("mst order").
 *
 * @param mstKeys distinct mst keys; stored sorted ascending
 */
public record Configurations(List<Integer> mstKeys) {
    /** Validates (at least one key, no duplicates) and sorts. */
    public Configurations {
        if (mstKeys.isEmpty()) {
            throw new IllegalArgumentException("configurations: no mst key given; give at least one configuration");
        }
        List<Integer> sorted = mstKeys.stream().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("configurations: mst key " + sorted.get(i)
                        + " appears twice; give each configuration once");
            }
        }
        mstKeys = List.copyOf(sorted);
    }

    /** The configurations with the given keys. */
    public static Configurations of(int... mstKeys) {
        return new Configurations(Arrays.stream(mstKeys).boxed().toList());
    }

    /** The number of configurations. */
    public int size() {
        return mstKeys.size();
    }

    /** The key of the configuration at {@code index} in mst order. */
    public int key(int index) {
        return mstKeys.get(index);
    }

    /** The position of {@code mstKey} in mst order, or -1 when it is not one of these configurations. */
    public int indexOf(int mstKey) {
        return mstKeys.indexOf(mstKey);
    }
}
