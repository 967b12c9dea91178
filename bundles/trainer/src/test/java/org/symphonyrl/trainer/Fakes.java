package org.symphonyrl.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.StepResult;
import org.symphonyrl.api.Tensor;
import org.symphonyrl.api.UpdateStats;

/**
 * Recording doubles of the api services for the loop's rules (which call, in which mode, with which
 * flag). They record what the trainer asks of them; what the real agent, buffer and environment do
 * with it is tested in their bundles and, end to end, in the runtime's tests.
 */
final class Fakes {

    private Fakes() {
    }

    static Hyperparameters params(int explorationSteps, int updatesPerStep, int episodeLimit, int fallMargin,
                                  int evaluationInterval, int evaluationEpisodes) {
        return Hyperparameters.builder().explorationSteps(explorationSteps).times(1).capacity(10_000).hidden(8)
                .criticNodes(2).critics(3).batchSize(4).updatesPerStep(updatesPerStep).learningRate(1e-4)
                .adamBeta1(0.618).adamBeta2(0.995).adamEpsilon(1e-8).weightDecay(0.01).tau(0.005).gamma(0.99)
                .emaAlpha(0.618).noiseStd(0.36).noiseClamp(2.7).dropout(DropoutMode.NONE).dropoutRate(0)
                .dimpleAmplitude(0).dimpleWidth(0).float16Storage(false).episodeLimit(episodeLimit)
                .fallMargin(fallMargin).evaluationInterval(evaluationInterval).evaluationEpisodes(evaluationEpisodes)
                .actionMax(0).build();
    }

    /**
     * A one-dimensional environment: the observation counts the episode's steps, the reward is −step,
     * it terminates when {@code terminateAt} steps are reached (0: never) and truncates at {@code limit}.
     */
    static final class ScriptedEnvironment implements Environment {
        final int terminateAt;
        final int limit;
        final List<Long> resetSeeds = new ArrayList<>();
        final List<StepResult> results = new ArrayList<>();
        int t = -1;

        ScriptedEnvironment(int terminateAt, int limit) {
            this.terminateAt = terminateAt;
            this.limit = limit;
        }

        @Override
        public EnvSpec spec() {
            return new EnvSpec("Scripted-v0", new float[] {0}, new float[] {1000}, new float[] {-2}, new float[] {2}, limit);
        }

        @Override
        public float[] reset(long seed) {
            resetSeeds.add(seed);
            t = 0;
            return new float[] {0};
        }

        @Override
        public float[] reset() {
            throw new AssertionError("the trainer seeds every reset");
        }

        @Override
        public StepResult step(float[] action) {
            if (t < 0) {
                throw new IllegalStateException("step before reset");
            }
            t++;
            boolean terminated = terminateAt > 0 && t == terminateAt;
            boolean truncated = !terminated && limit > 0 && t == limit;
            StepResult r = new StepResult(new float[] {t}, -t, terminated, truncated, Map.of());
            results.add(r);
            if (terminated || truncated) {
                t = -1;
            }
            return r;
        }

        @Override
        public void close() {
        }
    }

    /**
     * A one-dimensional environment like {@link ScriptedEnvironment} (observation t, reward −t, truncated at
     * {@code limit}) that returns bad values on chosen calls, counted from 1 over the whole run: a NaN
     * observation at the given resets or steps, an infinite or NaN reward at given steps, or an interrupted step
     * (a lost connection: the last observation again, reward 0, truncated, with a reason).
     */
    static final class FaultyEnvironment implements Environment {
        final int limit;
        final java.util.Set<Integer> nanResets = new java.util.HashSet<>();
        final java.util.Set<Integer> nanObservations = new java.util.HashSet<>();
        final Map<Integer, Double> badRewards = new java.util.HashMap<>();
        final java.util.Set<Integer> interrupts = new java.util.HashSet<>();
        int resets;
        int calls;
        int t = -1;

        FaultyEnvironment(int limit) {
            this.limit = limit;
        }

        @Override
        public EnvSpec spec() {
            return new EnvSpec("Faulty-v0", new float[] {0}, new float[] {1000}, new float[] {-2}, new float[] {2}, limit);
        }

        @Override
        public float[] reset(long seed) {
            resets++;
            t = 0;
            return new float[] {nanResets.contains(resets) ? Float.NaN : 0};
        }

        @Override
        public float[] reset() {
            throw new AssertionError("the trainer seeds every reset");
        }

        @Override
        public StepResult step(float[] action) {
            if (t < 0) {
                throw new IllegalStateException("step before reset");
            }
            calls++;
            if (interrupts.contains(calls)) {
                int last = t;
                t = -1;
                return new StepResult(new float[] {last}, 0, false, true, Map.of(StepResult.INFO_INTERRUPTED, true,
                        StepResult.INFO_INTERRUPTED_REASON, "the bridge was restarted; the episode in flight is lost"));
            }
            t++;
            boolean truncated = t == limit;
            float[] observation = {nanObservations.contains(calls) ? Float.NaN : t};
            double reward = badRewards.getOrDefault(calls, (double) -t);
            if (truncated) {
                t = -1;
            }
            return new StepResult(observation, reward, false, truncated, Map.of());
        }

        @Override
        public void close() {
        }
    }

    /** Acts with action = observation / 1000 and records each call's mode; "learns" by counting updates. */
    static final class RecordingAgent implements Agent {
        final List<ActMode> modes = new ArrayList<>();
        final List<Batch> batches = new ArrayList<>();
        long updates;
        float weight = 0.5f;

        @Override
        public EnvSpec spec() {
            return null;
        }

        @Override
        public float[] act(float[] observation, ActMode mode) {
            modes.add(mode);
            return new float[] {observation[0] / 1000f};
        }

        @Override
        public UpdateStats update(Batch batch) {
            batches.add(batch);
            updates++;
            weight += 0.25f;
            return new UpdateStats(1, 0.5, 0.25, 0.125, 2);
        }

        @Override
        public long updates() {
            return updates;
        }

        @Override
        public AgentSnapshot snapshot() {
            return new AgentSnapshot("recording", 1, Map.of("w", new Tensor(new long[] {1}, new float[] {weight})),
                    Map.of("updates", (double) updates), new long[] {1, 2, 3, 4});
        }

        @Override
        public void restore(AgentSnapshot s) {
            weight = s.tensors().get("w").data()[0];
            updates = s.scalars().get("updates").longValue();
        }

        @Override
        public void close() {
        }
    }

    /** Stores transitions in lists; samples the newest ones; records when exploration ended. */
    static final class RecordingBuffer implements ReplayBuffer {
        final List<float[]> states = new ArrayList<>();
        final List<Float> actions = new ArrayList<>();
        final List<Double> rewards = new ArrayList<>();
        final List<Boolean> terminated = new ArrayList<>();
        int endedAtSize = -1;

        @Override
        public String kind() {
            return "recording";
        }

        @Override
        public void add(float[] state, float[] action, double reward, float[] nextState, boolean done) {
            states.add(state.clone());
            actions.add(action[0]);
            rewards.add(reward);
            terminated.add(done);
        }

        @Override
        public void endExploration() {
            if (endedAtSize >= 0) {
                throw new IllegalStateException("endExploration called twice");
            }
            endedAtSize = states.size();
        }

        @Override
        public boolean explorationEnded() {
            return endedAtSize >= 0;
        }

        @Override
        public double rewardScale() {
            return 1;
        }

        @Override
        public int size() {
            return states.size();
        }

        @Override
        public int capacity() {
            return 10_000;
        }

        @Override
        public Batch sample(int b) {
            return new Batch(b, 1, 1, new float[b], new float[b], new float[b], new float[b], new float[b]);
        }

        @Override
        public BufferSnapshot snapshot() {
            int n = size();
            float[] s = new float[n];
            float[] a = new float[n];
            float[] r = new float[n];
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = states.get(i)[0];
                a[i] = actions.get(i);
                r[i] = rewards.get(i).floatValue();
                d[i] = terminated.get(i) ? 0 : 0.99f;
            }
            return new BufferSnapshot("recording", 1, 1, 10_000, n, s, a, r, s.clone(), d, 1, explorationEnded(),
                    new long[] {5, 6, 7, 8});
        }

        @Override
        public void restore(BufferSnapshot snapshot) {
            states.clear();
            actions.clear();
            rewards.clear();
            terminated.clear();
            for (int i = 0; i < snapshot.size(); i++) {
                states.add(new float[] {snapshot.states()[i]});
                actions.add(snapshot.actions()[i]);
                rewards.add((double) snapshot.rewards()[i]);
                terminated.add(snapshot.discounts()[i] == 0);
            }
            endedAtSize = snapshot.explorationEnded() ? snapshot.size() : -1;
        }
    }
}
