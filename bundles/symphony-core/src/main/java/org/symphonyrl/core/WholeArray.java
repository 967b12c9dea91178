package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Writes a whole array in place with an indexed put. DJL's {@code NDArray.copyTo} and {@code set(Buffer)} go
 * through its native {@code torchSet}, which takes libtorch's deprecated {@code AutoNonVariableTypeMode} guard;
 * libtorch then prints a deprecation warning on the process's native stderr, past Java's logging (and
 * {@code TORCH_CPP_LOG_LEVEL} does not reach it: libtorch reads that variable only when Python's torch
 * initialises it). An indexed put of the whole array writes the same values without the guard.
 */
final class WholeArray {

    /** Every element, whatever the rank (a 0-d array included). */
    static final NDIndex ALL = new NDIndex("...");

    private WholeArray() {
    }

    /** {@code to ← from}, element for element; the shapes must be equal. */
    static void copy(NDArray from, NDArray to) {
        to.set(ALL, from);
    }

    /** {@code to ← values}, in row-major order; {@code values} has one float per element of {@code to}. */
    static void write(NDArray to, float[] values) {
        try (NDArray from = to.getManager().create(values, to.getShape())) {
            to.set(ALL, from);
        }
    }
}
