package org.symphonyrl.replay.fading;

import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.random.RandomStream;
import org.symphonyrl.replay.storage.RingReplayBuffer;

/**
 * The Fading Replay Buffer (paper §III, docs/algorithm.md §4).
 *
 * <p>Until full, transitions are appended. Once full, a new transition is written at the newest
 * position N−1 and the buffer rotates left by one, so that the oldest transition comes to N−1 and is
 * the one written next. If, right after the write, the oldest transition (position 0) is terminal
 * (γ(1−done) = 0), the buffer rotates left by exactly two instead, as the authors' code does
 * ({@code torch.roll} by −2): the terminal lands at N−2 and is kept, the second-oldest lands at N−1
 * and is written over by the next add, terminal or not. Only the oldest is looked at: of a run of
 * terminals at the oldest end, the first is kept and the second dropped. This bounds the share of
 * terminals near (1 + p)/2 for a terminal inflow rate p (derived in docs/algorithm.md §4).
 *
 * <p>The add that makes the buffer full writes N−1 and rotates like every later add. The
 * end-of-exploration fill and a restore do not rotate (see {@link RingReplayBuffer}): after the fill
 * the first transition is written over the newest copy, as in the paper ("a new transition enters it
 * at the last index") and the authors' code; a restored buffer holds the snapshot's order exactly.
 *
 * <p>A rotation moves the ring's head: O(1) per add. Sampling sees exactly the order of the
 * rotate-by-copy description (the tests hold it against a naive model), including one of its quirks:
 * between two adds, position N−1, on the curve's plateau, holds the transition about to be
 * overwritten. A snapshot lists the same order starting from position N−1, the transition written
 * over next (see {@link RingReplayBuffer}).
 *
 * <p>Sampling draws logical position i with probability ∝ {@link FadingCurve} through an
 * {@link AliasTable}; the table for a full buffer is built when the buffer is created, another only
 * while the buffer fills, when the number of stored transitions changed since the last sample.
 */
public final class FadingReplayBuffer extends RingReplayBuffer {

    public static final String KIND = "fading";

    private final FadingCurve curve;
    private final AliasTable fullTable;
    private AliasTable table;

    public FadingReplayBuffer(EnvSpec spec, Hyperparameters params, long seed) {
        super(KIND, spec, params, seed);
        curve = new FadingCurve(params.dimpleAmplitude(), params.dimpleWidth());
        fullTable = new AliasTable(curve.weights(params.capacity()));
    }

    @Override
    protected void addToFullStore(float[] s, float[] a, float r, float[] s2, float discount) {
        store.set(store.capacity() - 1, s, a, r, s2, discount);
        rotateAfterWrite();
    }

    @Override
    protected void filledByAdd() {
        rotateAfterWrite();
    }

    /** Left by two if the oldest is terminal, else by one; modulo N, as torch.roll (N = 2: "by two" keeps the order). */
    private void rotateAfterWrite() {
        store.rotateLeft(store.discount(0) == 0f ? 2 : 1);
    }

    @Override
    protected int nextOverwritten() {
        return store.full() ? store.capacity() - 1 : 0;
    }

    @Override
    protected void prepareSampling() {
        int n = store.size();
        if (table == null || table.size() != n) {
            table = n == store.capacity() ? fullTable : new AliasTable(curve.weights(n));
        }
    }

    @Override
    protected int drawPosition(RandomStream random) {
        return table.draw(random);
    }
}
