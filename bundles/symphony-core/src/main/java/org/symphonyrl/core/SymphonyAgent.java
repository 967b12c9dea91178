package org.symphonyrl.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.symphonyrl.api.ActMode;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.Batch;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.UpdateStats;
import org.symphonyrl.api.random.RandomStream;

/**
 * The Symphony actor-critic (docs/algorithm.md §2–3): one object holding the online actor, the online
 * and target critics, the optimiser and the temporal-advantage average, updated in one pass with
 * one loss.
 */
final class SymphonyAgent implements Agent {

    static final String KIND = "symphony";

    private final EnvSpec spec;
    private final Hyperparameters params;
    private final NDManager manager;
    private final Actor actor;
    private final Critics critics;
    private final Critics targetCritics;
    private final TargetValue targetValue;
    private final TemporalAdvantage temporalAdvantage;
    private final AdamW optimiser;
    private final Polyak polyak;
    private final LimitedNoise noise;
    private final GradientDropout dropout;
    private final RandomStream actNoise;
    private final RandomStream updateNoise;
    private final RandomStream dropoutRandom;
    private long updates;
    private boolean closed;

    SymphonyAgent(EnvSpec spec, Hyperparameters params, long seed) {
        this.spec = spec;
        this.params = params;
        this.manager = Engine.getEngine(PyTorchComputeEngine.ENGINE).newBaseManager();
        RandomStream init = RandomStream.derive(seed, "symphony.init");
        int s = spec.observationSize();
        int a = spec.actionSize();
        this.actor = Actor.initialised(manager, s, params.hidden(), ActionScale.of(spec, params.actionMax()), init);
        this.critics = Critics.initialised(manager, params.critics(), s + a, params.hidden(), params.criticNodes(), init);
        this.targetCritics = critics.copy(manager);
        actor.network().requireGradients();
        critics.requireGradients();
        this.targetValue = new TargetValue(manager,
                TargetWeights.of(params.totalCriticNodes(), params.dimpleAmplitude(), params.dimpleWidth()));
        this.temporalAdvantage = new TemporalAdvantage(params.emaAlpha());
        this.optimiser = new AdamW(manager, AgentState.onlineParameters(actor, critics), params.learningRate(),
                params.adamBeta1(), params.adamBeta2(), params.adamEpsilon(), params.weightDecay());
        this.polyak = new Polyak(manager, params.tau());
        this.noise = new LimitedNoise(params.noiseStd(), params.noiseClamp());
        this.actNoise = RandomStream.derive(seed, "symphony.act.noise");
        this.updateNoise = RandomStream.derive(seed, "symphony.update.noise");
        this.dropoutRandom = RandomStream.derive(seed, "symphony.dropout");
        this.dropout = new GradientDropout(params.dropout(), params.dropoutRate(), dropoutRandom);
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public float[] act(float[] observation, ActMode mode) {
        checkOpen();
        spec.checkObservation(observation);
        try (NDScope scope = new NDScope()) {
            NDArray state = manager.create(observation, new Shape(1, observation.length));
            float[] n = mode.noisy() ? noise.limit(LimitedNoise.standardNormals(actNoise, actor.actionSize())) : null;
            return actor.act(state, n, mode.active(), mode.noisy());
        }
    }

    @Override
    public UpdateStats update(Batch batch) {
        checkOpen();
        checkBatch(batch);
        return update(batch, draw(batch.size()));
    }

    /** The random numbers of one update, drawn from the agent's own streams. */
    private UpdateDraws draw(int batchSize) {
        int criticMask = params.critics() * batchSize * params.criticNodes();
        return new UpdateDraws(LimitedNoise.standardNormals(updateNoise, batchSize * actor.actionSize()),
                dropout.mask(3 * actor.actionSize() * batchSize), dropout.mask(criticMask), dropout.mask(criticMask));
    }

    /** One update (docs/algorithm.md §3) with the given noise and masks. */
    UpdateStats update(Batch batch, UpdateDraws draws) {
        int b = batch.size();
        int s = batch.observationSize();
        int a = batch.actionSize();
        int k = params.critics();
        int q = params.criticNodes();
        try (NDScope scope = new NDScope()) {
            NDArray states = manager.create(batch.states(), new Shape(b, s));
            NDArray actions = manager.create(batch.actions(), new Shape(b, a));
            NDArray rewards = manager.create(batch.rewards(), new Shape(b, 1));
            NDArray nextStates = manager.create(batch.nextStates(), new Shape(b, s));
            NDArray discounts = manager.create(batch.discounts(), new Shape(b, 1));
            NDArray nextNoise = manager.create(noise.limit(draws.normals()), new Shape(b, a));
            NDArray actorMask = mask(draws.actorMask(), b, 3L * a);
            NDList targetMask = masks(draws.targetMask(), k, b, q);
            NDList criticMask = masks(draws.criticMask(), k, b, q);

            NDArray loss;
            NDArray baseline;
            NDArray advantage;
            NDArray sigma;
            NDArray beta;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                // 1. next actions with noise; 2. the target value, through which the actor learns
                Actor.Output next = actor.forward(nextStates, nextNoise, true, true, actorMask);
                sigma = Actor.clamp(next.sigma());
                beta = Actor.clamp(next.beta());
                NDArray target = targetValue.of(targetCritics.values(nextStates, next.action(), targetMask));
                NDArray targetDetached = target.stopGradient();
                // 3. temporal advantage against the moving average
                baseline = temporalAdvantage.baseline(targetDetached);
                advantage = TemporalAdvantage.of(target, baseline);
                // 4. temporal difference of every online Q node against the same y
                NDArray y = rewards.add(discounts.mul(targetDetached));
                NDArray predicted = critics.values(states, actions, criticMask);
                // 5. one loss for actor and critics
                loss = RectifiedHuber.asymmetric(advantage).mean().neg()
                        .add(RectifiedHuber.symmetric(predicted.sub(y)).mean())
                        .add(Swaddling.of(sigma, beta));
                collector.backward(loss);
            }
            float lossValue = loss.getFloat();
            if (!Float.isFinite(lossValue)) {
                optimiser.zeroGradients();
                throw new IllegalStateException("update " + (updates + 1) + ": the loss is " + lossValue
                        + ", the networks have diverged; the agent was left as it was before this update");
            }
            // 6. one optimiser step; 7. Polyak on the critics only
            optimiser.step();
            polyak.average(targetCritics, critics);
            temporalAdvantage.advance(baseline);
            updates++;
            return new UpdateStats(lossValue, sigma.mean().getFloat(), beta.mean().getFloat(),
                    advantage.mean().getFloat(), temporalAdvantage.movingAverage());
        }
    }

    private NDArray mask(float[] values, long... shape) {
        return values == null ? null : manager.create(values, new Shape(shape));
    }

    /** k masks of (B, q) from k·B·q values, critic by critic. */
    private NDList masks(float[] values, int k, int b, int q) {
        if (values == null) {
            return null;
        }
        NDList masks = new NDList(k);
        for (int i = 0; i < k; i++) {
            masks.add(manager.create(Arrays.copyOfRange(values, i * b * q, (i + 1) * b * q), new Shape(b, q)));
        }
        return masks;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public AgentSnapshot snapshot() {
        checkOpen();
        return AgentState.capture(this);
    }

    @Override
    public void restore(AgentSnapshot snapshot) {
        checkOpen();
        AgentState.restore(this, snapshot);
    }

    Actor actor() {
        return actor;
    }

    /** The manager that owns every long-lived array of this agent. */
    NDManager manager() {
        return manager;
    }

    Critics critics() {
        return critics;
    }

    Critics targetCritics() {
        return targetCritics;
    }

    AdamW optimiser() {
        return optimiser;
    }

    TemporalAdvantage temporalAdvantage() {
        return temporalAdvantage;
    }

    RandomStream[] randomStreams() {
        return new RandomStream[] {actNoise, updateNoise, dropoutRandom};
    }

    void setUpdates(long updates) {
        this.updates = updates;
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
        finite("discounts", batch.discounts());
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
