package org.symphonyrl.core;

import org.symphonyrl.api.random.RandomStream;

/**
 * Limited noise {@code N = std·clamp(n, −c, c)}, n standard normal: std 1/e with c = e keeps the
 * noise inside ±1 (SE: 1/π and ±π). The noise level is constant; the agent adjusts the strength of
 * its actions instead.
 */
final class LimitedNoise {

    private final double std;
    private final double clamp;

    LimitedNoise(double std, double clamp) {
        this.std = std;
        this.clamp = clamp;
    }

    /** {@code n} standard normals (before limiting), so tests can supply their own. */
    static float[] standardNormals(RandomStream random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** std·clamp(n, −c, c) element by element. */
    float[] limit(float[] normals) {
        float[] noise = new float[normals.length];
        for (int i = 0; i < normals.length; i++) {
            noise[i] = (float) (std * Math.max(-clamp, Math.min(clamp, normals[i])));
        }
        return noise;
    }
}
