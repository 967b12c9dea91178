package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.random.RandomStream;

/** A training run makes millions of calls: acting and updating must leave no native array behind. */
class NativeMemoryTest {

    @Test
    void actingUpdatingAndSnapshottingKeepTheSameArrays() {
        RandomStream data = new RandomStream(8);
        try (SacAgent agent = new SacAgent(Specs.spec(4, 3), Specs.small("warmupSteps", 20), 1)) {
            Batch batch = Specs.batch(data, 12, 4, 3);
            agent.update(batch);
            agent.act(new float[4], ActMode.TRAIN);
            int arrays = managed(agent);
            for (int i = 0; i < 200; i++) {
                agent.update(Specs.batch(data, 12, 4, 3));
                for (ActMode mode : ActMode.values()) {
                    agent.act(new float[] {i, 1, 2, 3}, mode);
                }
            }
            agent.restore(agent.snapshot());
            assertEquals(arrays, managed(agent));
        }
    }

    private static int managed(SacAgent agent) {
        return ((BaseNDManager) agent.manager()).getManagedArrays().size();
    }
}
