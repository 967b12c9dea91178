package org.symphonyrl.sac;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.UpdateStats;
import org.symphonyrl.api.random.RandomStream;

/**
 * Soft Actor-Critic with automatic entropy tuning and no value network (T. Haarnoja, A. Zhou, K. Hartikainen
 * et al., "Soft Actor-Critic Algorithms and Applications", arXiv 1812.05905, 2018), Algorithm 1. One update,
 * on a batch (s, a, r, s′, d) with d = γ(1 − done):
 * <ol>
 *   <li>critics (Eq. 5): y = r + d·(min(Q̄1, Q̄2)(s′, a′) − α·log π(a′|s′)), a′ ~ π(·|s′), without gradient;
 *       J_Q = mean((Q1(s, a) − y)²) + mean((Q2(s, a) − y)²); one Adam step on θ1, θ2;</li>
 *   <li>policy (Eq. 7, reparameterised as Eq. 9): ã = f_φ(ε; s), J_π = mean(α·log π(ã|s) − min(Q1, Q2)(s, ã))
 *       with the critics just updated; one Adam step on φ;</li>
 *   <li>temperature (Eq. 18): J(α) = −mean(log α·(log π(ã|s) + H̄)), {@link EntropyTemperature}; one Adam
 *       step on log α;</li>
 *   <li>targets: θ̄ ← (1 − τ)θ̄ + τθ ({@link Polyak}).</li>
 * </ol>
 * α is the value before this update's step 3 in steps 1 and 2. The losses of step 1 are the sum of the two
 * mean squared errors, as CleanRL writes them (Stable-Baselines3 halves it; Adam is indifferent to the factor).
 *
 * <p>Acting: {@link ActMode#EVALUATE} gives the deterministic action scale·tanh(μ) + bias; {@link ActMode#TRAIN}
 * a sample of π. {@link ActMode#FALL} is Symphony's deliberate fall and means nothing to SAC: it is treated as
 * TRAIN. The first {@code warmupSteps} training actions are uniform in the action bounds instead (drawn from
 * the agent's own stream {@code sac.warmup}); the caller starts updating once {@link #warmedUp()}.
 *
 * <p>Every random stream derives from the seed ({@code sac.init}, {@code sac.act}, {@code sac.warmup},
 * {@code sac.update}); a snapshot carries the networks, the three optimisers, log α, the counters and the
 * streams, so a restored agent continues bit for bit.
 */
public final class SacAgent implements Agent {

    /** The agent kind, in snapshots and (later) the factory's service property. */
    public static final String KIND = "sac";

    private final EnvSpec spec;
    private final SacConfig config;
    private final NDManager manager;
    private final GaussianPolicy policy;
    private final TwinCritics critics;
    private final TwinCritics targets;
    private final EntropyTemperature temperature;
    private final Adam policyAdam;
    private final Adam criticAdam;
    private final Adam alphaAdam;
    private final Polyak polyak;
    private final RandomStream actRandom;
    private final RandomStream warmupRandom;
    private final RandomStream updateRandom;
    private final float[] actionLow;
    private final float[] actionHigh;
    private final float discount;
    private long steps;
    private long updates;
    private Map<String, Double> metrics = Map.of();
    private boolean closed;

    /**
     * A fresh agent for {@code spec}.
     *
     * @throws IllegalArgumentException if {@code config} has a value out of range (see {@link SacConfigs})
     */
    public SacAgent(EnvSpec spec, SacConfig config, long seed) {
        SacConfigs.check(config);
        this.spec = spec;
        this.config = config;
        this.manager = Engine.getEngine("PyTorch").newBaseManager();
        int s = spec.observationSize();
        int a = spec.actionSize();
        this.actionLow = spec.actionLow();
        this.actionHigh = spec.actionHigh();
        RandomStream init = RandomStream.derive(seed, "sac.init");
        this.policy = GaussianPolicy.initialised(manager, s, config.hidden(), actionLow, actionHigh,
                config.logStdMin(), config.logStdMax(), init);
        this.critics = TwinCritics.initialised(manager, s + a, config.hidden(), init);
        this.targets = critics.copy(manager);
        policy.network().requireGradients();
        critics.requireGradients();
        this.temperature = new EntropyTemperature(manager, config.initialAlpha(), -config.targetEntropyScale() * a);
        this.policyAdam = new Adam(manager, SacState.policyParameters(policy), config.actorLearningRate());
        this.criticAdam = new Adam(manager, critics.parameters(), config.criticLearningRate());
        this.alphaAdam = new Adam(manager, temperature.parameters(), config.alphaLearningRate());
        this.polyak = new Polyak(manager, config.tau());
        this.actRandom = RandomStream.derive(seed, "sac.act");
        this.warmupRandom = RandomStream.derive(seed, "sac.warmup");
        this.updateRandom = RandomStream.derive(seed, "sac.update");
        this.discount = (float) config.gamma();
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    /** The configuration the agent was built with. */
    public SacConfig config() {
        return config;
    }

    @Override
    public float[] act(float[] observation, ActMode mode) {
        checkOpen();
        spec.checkObservation(observation);
        boolean sample = mode != ActMode.EVALUATE;
        if (sample && steps++ < config.warmupSteps()) {
            return uniformAction();
        }
        try (NDScope scope = new NDScope()) {
            NDArray state = manager.create(observation, new Shape(1, observation.length));
            return policy.act(state, sample ? standardNormals(actRandom, policy.actionSize()) : null);
        }
    }

    private float[] uniformAction() {
        float[] action = new float[actionLow.length];
        for (int i = 0; i < action.length; i++) {
            double u = warmupRandom.nextDouble();
            action[i] = (float) Math.min(actionLow[i] + u * ((double) actionHigh[i] - actionLow[i]), actionHigh[i]);
        }
        return action;
    }

    /** Training actions taken (TRAIN and FALL), warm-up included. */
    public long steps() {
        return steps;
    }

    /** Whether the warm-up of random actions is over, so that updates should start. */
    public boolean warmedUp() {
        return steps >= config.warmupSteps();
    }

    @Override
    public UpdateStats update(Batch batch) {
        checkOpen();
        checkBatch(batch);
        int n = batch.size() * batch.actionSize();
        return update(batch, new SacDraws(standardNormals(updateRandom, n), standardNormals(updateRandom, n)));
    }

    /**
     * One update (see the class comment) with the given noise. Returns the critic loss as the api's loss; the
     * other fields are Symphony's and NaN. {@link #metrics()} has the rest.
     */
    UpdateStats update(Batch batch, SacDraws draws) {
        int b = batch.size();
        int s = batch.observationSize();
        int a = batch.actionSize();
        try (NDScope scope = new NDScope()) {
            NDArray states = manager.create(batch.states(), new Shape(b, s));
            NDArray actions = manager.create(batch.actions(), new Shape(b, a));
            NDArray rewards = manager.create(batch.rewards(), new Shape(b, 1));
            NDArray nextStates = manager.create(batch.nextStates(), new Shape(b, s));
            NDArray discounts = manager.create(batch.discounts(), new Shape(b, 1));
            NDArray nextNoise = manager.create(draws.nextNoise(), new Shape(b, a));
            NDArray noise = manager.create(draws.noise(), new Shape(b, a));
            NDArray alpha = temperature.alpha();

            // 1. critics against the soft target of the target networks
            TanhGaussian.Sample next = policy.sample(nextStates, nextNoise);
            NDArray softValue = targets.values(nextStates, next.action(), false).min().sub(alpha.mul(next.logProb()));
            NDArray y = rewards.add(discounts.mul(softValue)).stopGradient();
            NDArray criticLoss;
            TwinCritics.Values q;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                q = critics.values(states, actions, false);
                criticLoss = q.q1().sub(y).square().mean().add(q.q2().sub(y).square().mean());
                collector.backward(criticLoss);
            }
            float criticLossValue = finite("critic loss", criticLoss.getFloat(), criticAdam, "nothing was changed");
            criticAdam.step();

            // 2. policy against the updated critics, which enter as constants
            NDArray actorLoss;
            TanhGaussian.Sample now;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                now = policy.sample(states, noise);
                NDArray minQ = critics.values(states, now.action(), true).min();
                actorLoss = alpha.mul(now.logProb()).sub(minQ).mean();
                collector.backward(actorLoss);
            }
            float actorLossValue = finite("policy loss", actorLoss.getFloat(), policyAdam,
                    "the critics had been updated, the policy and α were not");
            policyAdam.step();

            // 3. temperature
            NDArray logProb = now.logProb().stopGradient();
            NDArray alphaLoss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                alphaLoss = temperature.loss(logProb);
                collector.backward(alphaLoss);
            }
            float alphaLossValue = finite("α loss", alphaLoss.getFloat(), alphaAdam,
                    "the critics and the policy had been updated, α was not");
            alphaAdam.step();

            // 4. targets
            polyak.average(targets, critics);
            updates++;

            Map<String, Double> m = new LinkedHashMap<>();
            m.put("criticLoss", (double) criticLossValue);
            m.put("actorLoss", (double) actorLossValue);
            m.put("alphaLoss", (double) alphaLossValue);
            m.put("alpha", temperature.value());
            m.put("entropy", -(double) logProb.mean().getFloat());
            m.put("meanQ", (double) q.q1().add(q.q2()).mean().getFloat() / 2);
            metrics = Map.copyOf(m);
            return new UpdateStats(criticLossValue, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** Throws if a loss is not finite, after dropping its gradients. */
    private float finite(String what, float value, Adam optimiser, String state) {
        if (!Float.isFinite(value)) {
            optimiser.zeroGradients();
            throw new IllegalStateException("update " + (updates + 1) + ": the " + what + " is " + value
                    + ", the networks have diverged; " + state + " in this update");
        }
        return value;
    }

    /**
     * What the last update measured: {@code criticLoss} (J_Q), {@code actorLoss} (J_π), {@code alphaLoss} (J(α)),
     * {@code alpha} (after the update), {@code entropy} (−mean log π of the batch's policy actions) and
     * {@code meanQ} (mean of Q1 and Q2 on the batch's state-action pairs, before the update). Empty before the
     * first update.
     */
    public Map<String, Double> metrics() {
        return metrics;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public AgentSnapshot snapshot() {
        checkOpen();
        return SacState.capture(this);
    }

    @Override
    public void restore(AgentSnapshot snapshot) {
        checkOpen();
        SacState.restore(this, snapshot);
    }

    GaussianPolicy policy() {
        return policy;
    }

    TwinCritics critics() {
        return critics;
    }

    TwinCritics targets() {
        return targets;
    }

    EntropyTemperature temperature() {
        return temperature;
    }

    /** The policy's, the critics' and α's optimisers, in that order. */
    Adam[] optimisers() {
        return new Adam[] {policyAdam, criticAdam, alphaAdam};
    }

    RandomStream[] randomStreams() {
        return new RandomStream[] {actRandom, warmupRandom, updateRandom};
    }

    /** The manager that owns every long-lived array of this agent. */
    NDManager manager() {
        return manager;
    }

    void setCounters(long updates, long steps) {
        this.updates = updates;
        this.steps = steps;
    }

    static float[] standardNormals(RandomStream random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private void checkBatch(Batch batch) {
        if (batch.observationSize() != spec.observationSize() || batch.actionSize() != spec.actionSize()) {
            throw new IllegalArgumentException("batch has observation size " + batch.observationSize()
                    + " and action size " + batch.actionSize() + ", the agent expects " + spec.observationSize()
                    + " and " + spec.actionSize());
        }
        if (batch.size() < 1) {
            throw new IllegalArgumentException("batch is empty");
        }
        finite("states", batch.states());
        finite("actions", batch.actions());
        finite("rewards", batch.rewards());
        finite("nextStates", batch.nextStates());
        float[] d = batch.discounts();
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 0 && !(Math.abs(d[i] - discount) <= 1e-3f * discount)) {
                throw new IllegalArgumentException("batch field discounts[" + i + "] is " + d[i]
                        + "; a discount is γ·(1 − done), 0 or γ = " + discount + " (the agent's gamma)");
            }
        }
    }

    private static void finite(String field, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("batch field " + field + "[" + i + "] is " + values[i]
                        + "; every value of a batch must be finite");
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the agent is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
