package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Whole-array writes as indexed puts. DJL's {@code copyTo} and {@code set(Buffer)} take libtorch's
 * deprecated {@code AutoNonVariableTypeMode} guard, whose warning libtorch prints on the native stderr
 * past Java's logging; an indexed put of every element writes the same values without it. (symphony-core
 * has the same helper privately; the two agents share no code until the api offers a place for it.)
 */
final class InPlace {

    /** Every element, whatever the rank. */
    static final NDIndex ALL = new NDIndex("...");

    private InPlace() {
    }

    /** {@code to ← from}; equal shapes. */
    static void copy(NDArray from, NDArray to) {
        to.set(ALL, from);
    }

    /** {@code to ← values} in row-major order, one float per element. */
    static void write(NDArray to, float[] values) {
        try (NDArray from = to.getManager().create(values, to.getShape())) {
            to.set(ALL, from);
        }
    }

    /** {@code to ← 0}: a fill, so a NaN goes too. */
    static void zero(NDArray to) {
        to.set(ALL, 0);
    }
}
