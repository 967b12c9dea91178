package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.random.RandomStream;

/**
 * GradientDropout (S2, S̃2): {@code mask·x + (1 − mask)·x*} with x* detached — the values pass
 * unchanged and only the gradient of the dropped elements is cut. Used in training updates only.
 * <ul>
 *   <li>FIXED: mask = 1[u > p], u ~ U(0, 1), one p for all elements (S2: 0.5);</li>
 *   <li>RANDOM: p = sigmoid(n) per element, n ~ N(0, 1), then mask = 1[u > p] (S̃2).</li>
 * </ul>
 */
final class GradientDropout {

    private final DropoutMode mode;
    private final double rate;
    private final RandomStream random;

    GradientDropout(DropoutMode mode, double rate, RandomStream random) {
        this.mode = mode;
        this.rate = rate;
        this.random = random;
    }

    boolean enabled() {
        return mode != DropoutMode.NONE;
    }

    /** A fresh mask of {@code n} elements (1 keeps the gradient, 0 drops it); null when disabled. */
    float[] mask(int n) {
        if (!enabled()) {
            return null;
        }
        float[] mask = new float[n];
        if (mode == DropoutMode.FIXED) {
            for (int i = 0; i < n; i++) {
                mask[i] = keep(rate);
            }
            return mask;
        }
        // Box–Muller makes two independent standard normals from two uniforms; both are used
        for (int i = 0; i < n; i += 2) {
            double radius = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
            double angle = 2 * Math.PI * random.nextDouble();
            mask[i] = keep(sigmoid(radius * Math.cos(angle)));
            if (i + 1 < n) {
                mask[i + 1] = keep(sigmoid(radius * Math.sin(angle)));
            }
        }
        return mask;
    }

    /** 1[u > p], u ~ U(0, 1). */
    private float keep(double p) {
        return random.nextDouble() > p ? 1f : 0f;
    }

    /** mask·x + (1 − mask)·x*; x unchanged when mask is null. */
    static NDArray apply(NDArray x, NDArray mask) {
        if (mask == null) {
            return x;
        }
        return mask.mul(x).add(mask.neg().add(1).mul(x.stopGradient()));
    }

    private static double sigmoid(double n) {
        return 1 / (1 + Math.exp(-n));
    }
}
