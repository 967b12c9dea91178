package org.symphonyrl.replay.fading;

/**
 * The Fading Replay Buffer's sampling weights (docs/algorithm.md §4): logical position i of N (0 = oldest)
 * has x = i/N and weight tanh((π·x)^e), a fading tail over old experience and a plateau over recent
 * experience. The paper's Table II counts i from 1; this project counts i from 0, so the oldest
 * position has weight tanh(0) = 0 and is never drawn.
 *
 * <p>S̃2 subtracts a Gaussian dimple a·exp(−((x − c)/w)²) before normalisation, centred at the newest
 * end c = 1 (docs/algorithm.md §6), so that sampling does not jump to the latest transitions at once.
 */
final class FadingCurve {

    /** Where the S̃2 dimple sits on the sampling curve: the newest position, i/N → 1. */
    static final double DIMPLE_CENTRE = 1.0;

    private final double dimpleAmplitude;
    private final double dimpleWidth;

    /** The plain curve for {@code dimpleAmplitude} 0, otherwise the S̃2 curve. */
    FadingCurve(double dimpleAmplitude, double dimpleWidth) {
        if (!(dimpleAmplitude >= 0) || !(dimpleWidth >= 0) || (dimpleAmplitude > 0 && dimpleWidth == 0)) {
            throw new IllegalArgumentException("dimple amplitude must be >= 0 and its width > 0, got amplitude "
                    + dimpleAmplitude + " and width " + dimpleWidth);
        }
        this.dimpleAmplitude = dimpleAmplitude;
        this.dimpleWidth = dimpleWidth;
    }

    /**
     * Unnormalised weight of logical position {@code i} among {@code n}. A probability cannot be
     * negative: where the dimple is deeper than the curve (its far tail over the curve's zero at the
     * oldest end, or a user's amplitude near 1) the weight is 0.
     */
    double weight(int i, int n) {
        double x = (double) i / n;
        double w = Math.tanh(Math.pow(Math.PI * x, Math.E));
        if (dimpleAmplitude > 0) {
            double z = (x - DIMPLE_CENTRE) / dimpleWidth;
            w -= dimpleAmplitude * Math.exp(-z * z);
        }
        return Math.max(w, 0.0);
    }

    /** The n weights. One position alone has weight 0 on the curve; it is then the only choice, weight 1. */
    double[] weights(int n) {
        if (n == 1) {
            return new double[] {1.0};
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weight(i, n);
        }
        return w;
    }
}
