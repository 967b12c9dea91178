package org.symphonyrl.replay.fading;

import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.random.RandomStream;
import org.symphonyrl.replay.storage.RingReplayBuffer;

/**
 * The Fading Replay Buffer (paper §III, ALGORITHM.md §4).
 *
 * <p>Until full, transitions are appended. Once full, a new transition is written at the newest
 * position N−1 and the buffer rotates left by one, so that the oldest transition comes to N−1 and is
 * the one written next. The add that makes the buffer full rotates too (the slot it wrote is the
 * newest position); the end-of-exploration fill does not, so the first transition after it is written
 * over the newest copy, as in the paper ("a new transition enters it at the last index").
 *
 * <p>Terminal transitions (γ(1−done) = 0) are recycled rather than overwritten: the slot written next
 * never holds a terminal while a non-terminal exists. After the rotation by one, the buffer rotates on
 * while the newest position holds a terminal. For a lone terminal that is the paper's "by two"; for
 * a run of terminals it is one more step per terminal, where "by two" alone would overwrite the
 * second. The same check runs when the exploration fill or a restore makes the buffer full, so a
 * snapshot from a uniform buffer whose oldest transitions are terminal comes back with those
 * terminals recycled to the newest end; any other snapshot comes back in its own order.
 * If every stored transition is terminal it rotates by one and the oldest is overwritten.
 *
 * <p>A rotation moves the ring's head: O(1), plus one step per terminal passed over. Sampling sees
 * exactly the order of the rotate-by-copy description (the tests hold it against a naive model),
 * including one of its quirks: between two adds, position N−1, on the curve's plateau, holds the
 * transition about to be overwritten. A snapshot lists the same order starting from position N−1,
 * the transition written over next (see {@link RingReplayBuffer}).
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
        store.rotateLeft(1);
        skipTerminals();
    }

    @Override
    protected void becameFull(boolean appended) {
        if (appended) {
            store.rotateLeft(1);
        }
        skipTerminals();
    }

    /**
     * Rotates on while the slot written next (the newest position) holds a terminal and a
     * non-terminal exists elsewhere: after a rotation by one this is the paper's "by two".
     */
    private void skipTerminals() {
        int newest = store.capacity() - 1;
        if (store.terminals() == store.size()) {
            return;
        }
        while (store.discount(newest) == 0f) {
            store.rotateLeft(1);
        }
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
