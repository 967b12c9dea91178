package org.symphonyrl.replay.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.replay.storage.Transitions;

/** The uniform buffer: a FIFO ring sampled uniformly, with the fading buffer's exploration phase. */
class UniformReplayBufferTest {

    private static UniformReplayBuffer buffer(int capacity, int times) {
        return new UniformReplayBuffer(Transitions.spec(2, 1), Transitions.params(capacity, times), 42);
    }

    @Test
    void isAFifoOfTheExplorationRepeatedThenOfEveryAdd() {
        Random rng = new Random(11);
        for (int run = 0; run < 40; run++) {
            int capacity = 1 + rng.nextInt(9);
            int times = 1 + rng.nextInt(4);
            UniformReplayBuffer b = buffer(capacity, times);
            ArrayDeque<Integer> fifo = new ArrayDeque<>();
            int exploration = 1 + rng.nextInt(2 * capacity);
            for (int id = 0; id < exploration + 100; id++) {
                if (id == exploration) {
                    b.endExploration();
                    List<Integer> explored = new ArrayList<>(fifo);
                    for (int k = 0; fifo.size() < Math.min(capacity, times * explored.size()); k++) {
                        fifo.addLast(explored.get(k % explored.size()));
                    }
                }
                Transitions.add(b, id, 1, rng.nextBoolean());
                if (fifo.size() == capacity) {
                    fifo.removeFirst();
                }
                fifo.addLast(id);
                int[] expected = fifo.stream().mapToInt(Integer::intValue).toArray();
                assertArrayEquals(expected, Transitions.ids(b.snapshot()), "run " + run + " step " + id);
            }
        }
    }

    @Test
    void overwritesTheOldestTerminalOrNot() {
        UniformReplayBuffer b = buffer(4, 1);
        for (int id = 0; id < 7; id++) {
            Transitions.add(b, id, 1, id == 3);
        }
        assertArrayEquals(new int[] {3, 4, 5, 6}, Transitions.ids(b.snapshot()));
        Transitions.add(b, 7, 1, false);
        assertArrayEquals(new int[] {4, 5, 6, 7}, Transitions.ids(b.snapshot()), "the terminal 3 was the oldest");
    }

    @Test
    void explorationIsNormalisedAndRepeatedThenTheOldestGoesFirst() {
        UniformReplayBuffer b = buffer(5, 3);
        Transitions.add(b, 0, 1.0, false);
        Transitions.add(b, 1, -3.0, true);
        b.endExploration();
        assertEquals(2.0, b.rewardScale()); // (1 + 3) / 2
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, Transitions.ids(b.snapshot()));
        assertArrayEquals(new float[] {0.5f, -1.5f, 0.5f, -1.5f, 0.5f}, b.snapshot().rewards());
        Transitions.add(b, 2, 5.0, false);
        assertArrayEquals(new int[] {1, 0, 1, 0, 2}, Transitions.ids(b.snapshot()));
        assertEquals(2.5f, b.snapshot().rewards()[4]);
    }

    @Test
    void samplesEveryPositionAlike() {
        int n = 30;
        UniformReplayBuffer b = buffer(n, 1);
        for (int id = 0; id < n; id++) {
            Transitions.add(b, id, 1, false);
        }
        long[] counts = new long[n];
        for (int s = 0; s < 100; s++) {
            Batch batch = b.sample(3000);
            for (int k = 0; k < batch.size(); k++) {
                counts[(int) batch.states()[2 * k]]++;
            }
        }
        double uniform = 0;
        double fading = 0;
        double sumFading = 0;
        for (int i = 0; i < n; i++) {
            sumFading += Math.tanh(Math.pow(Math.PI * i / n, Math.E));
        }
        for (int i = 0; i < n; i++) {
            double e = 300_000.0 / n;
            uniform += (counts[i] - e) * (counts[i] - e) / e;
            double f = 300_000.0 * Math.tanh(Math.pow(Math.PI * i / n, Math.E)) / sumFading;
            fading += f > 0 ? (counts[i] - f) * (counts[i] - f) / f : 0;
        }
        // chi2.ppf(0.999, 29) = 58.301 (replay-fading/src/test/python/golden_values.py prints it for other df)
        assertTrue(uniform < 58.301, "uniform rejected: chi-square " + uniform);
        assertTrue(fading > 10 * 58.301, "the fading curve would pass: chi-square " + fading);
    }

    @Test
    void samplingAnEmptyBufferIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> buffer(3, 1).sample(1));
        assertTrue(e.getMessage().contains("empty uniform buffer"), e.getMessage());
    }

    @Test
    void theFactoryIsRegisteredAsKindUniform() throws Exception {
        ReplayBuffer b = new UniformReplayBufferFactory().create(Transitions.spec(3, 2), Transitions.params(10, 2), 1);
        assertEquals("uniform", b.kind());
        assertEquals(10, b.capacity());
        // the Declarative Services descriptor bnd generated from the @Component annotation
        Path xml = Path.of("target/classes/OSGI-INF/" + UniformReplayBufferFactory.class.getName() + ".xml");
        String descriptor = Files.readString(xml);
        assertTrue(descriptor.contains("name=\"replay.kind\"") && descriptor.contains("value=\"uniform\""), descriptor);
        assertTrue(descriptor.contains("org.symphonyrl.api.ReplayBufferFactory"), descriptor);
    }
}
