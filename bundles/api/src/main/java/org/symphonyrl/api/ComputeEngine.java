package org.symphonyrl.api;

/**
 * The tensor engine an agent bundle computes with, as seen from outside the bundle: what it is,
 * and a matrix product that proves the native engine works in this JVM (used by {@code symphony list},
 * start-up checks and benchmarks that measure the machine's matrix-product rate).
 */
public interface ComputeEngine {

    /** Engine name, e.g. {@code PyTorch}. */
    String name();

    /** Engine version, e.g. {@code 2.7.1}. */
    String version();

    /**
     * C = A·B in float32 on the engine, with A (m×k) and B (k×n) row-major.
     *
     * @return C, m×n row-major
     */
    float[] matmul(float[] a, float[] b, int m, int k, int n);
}
