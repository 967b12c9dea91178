package org.symphonyrl.replay.fading;

import org.symphonyrl.api.random.RandomStream;

/**
 * Walker's alias method in Vose's construction: after O(n) set-up, a draw from a discrete
 * distribution costs one uniform column and one uniform coin, whatever n is.
 */
final class AliasTable {

    private final double[] probability;
    private final int[] alias;

    /** A table drawing i with probability weights[i] / Σ weights. */
    AliasTable(double[] weights) {
        int n = weights.length;
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights must have a positive sum");
        }
        probability = new double[n];
        alias = new int[n];
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1.0) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = (scaled[l] + scaled[s]) - 1.0;
            if (scaled[l] < 1.0) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        // What is left has scaled weight 1 up to rounding: it keeps its own column.
        while (nl > 0) {
            int l = large[--nl];
            probability[l] = 1.0;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns];
            probability[s] = 1.0;
            alias[s] = s;
        }
    }

    int size() {
        return probability.length;
    }

    int draw(RandomStream random) {
        int column = random.nextInt(probability.length);
        return random.nextDouble() < probability[column] ? column : alias[column];
    }

    /** The probability of drawing {@code i} that the table encodes (for tests). */
    double probabilityOf(int i) {
        int n = probability.length;
        double p = probability[i];
        for (int j = 0; j < n; j++) {
            if (alias[j] == i && j != i) {
                p += 1.0 - probability[j];
            }
        }
        return p / n;
    }
}
