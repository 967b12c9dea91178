package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.random.RandomStream;

/** A training run makes millions of calls: acting and updating must leave no native array behind. */
class NativeMemoryTest {

    @Test
    void actingUpdatingAndSnapshottingKeepTheSameArrays() {
        RandomStream data = new RandomStream(8);
        try (SymphonyAgent agent = new SymphonyAgent(Tiny.spec(4, 3),
                Tiny.params(16, 4, 3, 12).dropout(DropoutMode.RANDOM).build(), 1)) {
            Batch batch = SnapshotTest.batch(data, 12, 4, 3);
            agent.update(batch);
            agent.act(new float[4], ActMode.TRAIN);
            int arrays = ((BaseNDManager) agent.manager()).getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                agent.update(batch);
                for (ActMode mode : ActMode.values()) {
                    agent.act(new float[] {i, 1, 2, 3}, mode);
                }
            }
            agent.restore(agent.snapshot());
            assertEquals(arrays, ((BaseNDManager) agent.manager()).getManagedArrays().size());
        }
    }
}
