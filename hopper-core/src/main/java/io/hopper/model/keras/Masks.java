package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/** Keras's time-step masks as float 0/1 arrays of shape [batch, time] (1 keeps the step). */
final class Masks {
    private Masks() {
    }

    /** A mask from any array of 0/1 or booleans ([batch, time], or [batch, time, 1]). */
    static NDArray of(NDArray m) {
        NDArray f = m.getDataType() == DataType.FLOAT32 ? m : m.toType(DataType.FLOAT32, false);
        return f.getShape().dimension() == 3 && f.getShape().get(2) == 1 ? f.squeeze(2) : f;
    }

    /** Keras's merge of masks: the steps every non-null mask keeps; null when none is given. */
    static NDArray and(List<NDArray> masks) {
        NDArray out = null;
        for (NDArray m : masks) {
            if (m != null) {
                out = out == null ? m : out.mul(m);
            }
        }
        return out;
    }
}
