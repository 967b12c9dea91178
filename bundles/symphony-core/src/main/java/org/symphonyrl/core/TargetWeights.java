package org.symphonyrl.core;

/**
 * The fixed weights of the target critic's sorted Q distribution (paper, Table I; docs/algorithm.md §2):
 * <pre>
 *   i_n = n/Q (n = 0..Q−1),   w_n = tanh((π·(1 − i_n))^e),   normalised to sum 1
 * </pre>
 * so the smallest values weigh most and the largest almost nothing. S̃2 subtracts a Gaussian
 * dimple {@code amplitude·exp(−((i_n − c)/width)²)} before normalising, centred at c = 0, the
 * smallest sorted value: it "reduces the importance of minimum values" (docs/algorithm.md §6).
 */
final class TargetWeights {

    /** Centre of the S̃2 dimple on the i_n axis: the plateau end, where the minimum values sit. */
    static final double DIMPLE_CENTRE = 0.0;

    private TargetWeights() {
    }

    static float[] of(int q, double dimpleAmplitude, double dimpleWidth) {
        if (q < 1) {
            throw new IllegalArgumentException("the target needs at least one Q node, got " + q);
        }
        double[] w = new double[q];
        double sum = 0;
        for (int n = 0; n < q; n++) {
            double i = (double) n / q;
            w[n] = Math.tanh(Math.pow(Math.PI * (1 - i), Math.E));
            if (dimpleAmplitude > 0) {
                double z = (i - DIMPLE_CENTRE) / dimpleWidth;
                w[n] -= dimpleAmplitude * Math.exp(-z * z);
            }
            sum += w[n];
        }
        float[] normalised = new float[q];
        for (int n = 0; n < q; n++) {
            normalised[n] = (float) (w[n] / sum);
        }
        return normalised;
    }
}
