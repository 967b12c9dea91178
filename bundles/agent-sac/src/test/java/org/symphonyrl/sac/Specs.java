package org.symphonyrl.sac;

import java.util.Arrays;
import java.util.Map;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.random.RandomStream;

/** Specs, configurations and batches for tests. */
final class Specs {

    private Specs() {
    }

    /** S unbounded observations and the given action box. */
    static EnvSpec spec(int observationSize, float[] low, float[] high) {
        float[] obsHigh = new float[observationSize];
        Arrays.fill(obsHigh, Float.POSITIVE_INFINITY);
        float[] obsLow = new float[observationSize];
        Arrays.fill(obsLow, Float.NEGATIVE_INFINITY);
        return new EnvSpec("Tiny-v0", obsLow, obsHigh, low, high, 1000);
    }

    /** S observations, A actions with bounds [−1, 1], [0.5, 3.5], [−1, 1], … (symmetric and not). */
    static EnvSpec spec(int observationSize, int actionSize) {
        float[] low = new float[actionSize];
        float[] high = new float[actionSize];
        for (int i = 0; i < actionSize; i++) {
            low[i] = i % 2 == 0 ? -1f : 0.5f;
            high[i] = i % 2 == 0 ? 1f : 3.5f;
        }
        return spec(observationSize, low, high);
    }

    /** A small agent's configuration: hidden 16, batch 12, no warm-up unless given. */
    static SacConfig small(Object... overrides) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("hidden", 16, "batchSize", 12, "warmupSteps", 0));
        for (int i = 0; i < overrides.length; i += 2) {
            p.put((String) overrides[i], overrides[i + 1]);
        }
        return SacConfigs.from(p);
    }

    /** Random transitions of b samples; every tenth is terminal (discount 0), the others carry γ = 0.99. */
    static Batch batch(RandomStream random, int b, int s, int a) {
        float[] d = new float[b];
        for (int i = 0; i < b; i++) {
            d[i] = random.nextDouble() < 0.1 ? 0f : 0.99f;
        }
        return new Batch(b, s, a, SacAgent.standardNormals(random, b * s), SacAgent.standardNormals(random, b * a),
                SacAgent.standardNormals(random, b), SacAgent.standardNormals(random, b * s), d);
    }
}
