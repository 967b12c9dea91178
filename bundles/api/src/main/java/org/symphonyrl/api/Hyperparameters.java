package org.symphonyrl.api;

/**
 * Every hyper-parameter of one Symphony configuration, as resolved from a preset.
 * The derivation rules (capacity = times × N_exp, h = capacity / 1000, q = h / 4, B = 3q)
 * belong to the presets bundle; this record only holds and checks the resolved values.
 *
 * @param explorationSteps N_exp, steps of exploration before learning starts
 * @param times how many times the exploration data is repeated to fill the buffer
 * @param capacity N_rb, replay capacity
 * @param hidden h, hidden width of every FeedForward
 * @param criticNodes q, output nodes of each critic
 * @param critics number of critics (3)
 * @param batchSize B
 * @param updatesPerStep G, updates per environment step
 * @param learningRate AdamW learning rate
 * @param adamBeta1 β1 (1/φ)
 * @param adamBeta2 β2 (1 − τ)
 * @param adamEpsilon ε in m/(√v + ε)
 * @param weightDecay λ
 * @param tau Polyak factor τ
 * @param gamma discount γ
 * @param emaAlpha α of the temporal-advantage moving average (1/φ)
 * @param noiseStd noise scale (1/e; SE 1/π)
 * @param noiseClamp clamp of the standard normal before scaling (e; SE π)
 * @param dropout GradientDropout mode
 * @param dropoutRate p for FIXED dropout
 * @param dimpleAmplitude amplitude of the S̃2 dimple on both weight curves; 0 for none
 * @param dimpleWidth width of the S̃2 dimple
 * @param float16Storage store the replay buffer as float16
 * @param episodeLimit episode cap in steps (1000)
 * @param fallMargin steps before the limit at which active drops to 0 (50)
 * @param evaluationInterval steps between evaluations (2500)
 * @param evaluationEpisodes episodes per evaluation (25)
 * @param actionMax a_max for every action dimension; 0 derives max(1, |bound|) per dimension
 */
public record Hyperparameters(
        int explorationSteps,
        int times,
        int capacity,
        int hidden,
        int criticNodes,
        int critics,
        int batchSize,
        int updatesPerStep,
        double learningRate,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double weightDecay,
        double tau,
        double gamma,
        double emaAlpha,
        double noiseStd,
        double noiseClamp,
        DropoutMode dropout,
        double dropoutRate,
        double dimpleAmplitude,
        double dimpleWidth,
        boolean float16Storage,
        int episodeLimit,
        int fallMargin,
        int evaluationInterval,
        int evaluationEpisodes,
        double actionMax) {

    public Hyperparameters {
        positive("explorationSteps", explorationSteps, 0);
        positive("times", times, 1);
        positive("capacity", capacity, 1);
        positive("hidden", hidden, 1);
        positive("criticNodes", criticNodes, 1);
        positive("critics", critics, 1);
        positive("batchSize", batchSize, 1);
        positive("updatesPerStep", updatesPerStep, 1);
        nonNegative("learningRate", learningRate);
        if (learningRate == 0) throw new IllegalArgumentException("learningRate must be > 0");
        unit("adamBeta1", adamBeta1);
        unit("adamBeta2", adamBeta2);
        nonNegative("adamEpsilon", adamEpsilon);
        nonNegative("weightDecay", weightDecay);
        unit("tau", tau);
        unit("gamma", gamma);
        unit("emaAlpha", emaAlpha);
        nonNegative("noiseStd", noiseStd);
        if (noiseStd == 0) throw new IllegalArgumentException("noiseStd must be > 0");
        nonNegative("noiseClamp", noiseClamp);
        if (noiseClamp == 0) throw new IllegalArgumentException("noiseClamp must be > 0");
        nonNegative("dropoutRate", dropoutRate);
        nonNegative("dimpleAmplitude", dimpleAmplitude);
        nonNegative("dimpleWidth", dimpleWidth);
        positive("episodeLimit", episodeLimit, 1);
        positive("fallMargin", fallMargin, 0);
        positive("evaluationInterval", evaluationInterval, 1);
        positive("evaluationEpisodes", evaluationEpisodes, 1);
        nonNegative("actionMax", actionMax);
        if (dropout == null) throw new IllegalArgumentException("dropout must be NONE, FIXED or RANDOM");
        if (dropout == DropoutMode.FIXED && (dropoutRate <= 0 || dropoutRate >= 1)) {
            throw new IllegalArgumentException("dropoutRate must be in (0, 1) for FIXED dropout, got " + dropoutRate);
        }
        if (dimpleAmplitude > 0 && dimpleWidth <= 0) {
            throw new IllegalArgumentException("dimpleWidth must be > 0 when dimpleAmplitude > 0, got " + dimpleWidth);
        }
        if (fallMargin >= episodeLimit) {
            throw new IllegalArgumentException("fallMargin (" + fallMargin + ") must be below episodeLimit (" + episodeLimit + ")");
        }
    }

    /** Q, the total number of critic nodes (critics × q). */
    public int totalCriticNodes() {
        return critics * criticNodes;
    }

    private static void positive(String name, int v, int min) {
        if (v < min) throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
    }

    private static void unit(String name, double v) {
        if (!(v > 0 && v < 1)) throw new IllegalArgumentException(name + " must be in (0, 1), got " + v);
    }

    /** A builder holding these values, to change a few of them. */
    public Builder toBuilder() {
        return new Builder()
                .explorationSteps(explorationSteps)
                .times(times)
                .capacity(capacity)
                .hidden(hidden)
                .criticNodes(criticNodes)
                .critics(critics)
                .batchSize(batchSize)
                .updatesPerStep(updatesPerStep)
                .learningRate(learningRate)
                .adamBeta1(adamBeta1)
                .adamBeta2(adamBeta2)
                .adamEpsilon(adamEpsilon)
                .weightDecay(weightDecay)
                .tau(tau)
                .gamma(gamma)
                .emaAlpha(emaAlpha)
                .noiseStd(noiseStd)
                .noiseClamp(noiseClamp)
                .dropout(dropout)
                .dropoutRate(dropoutRate)
                .dimpleAmplitude(dimpleAmplitude)
                .dimpleWidth(dimpleWidth)
                .float16Storage(float16Storage)
                .episodeLimit(episodeLimit)
                .fallMargin(fallMargin)
                .evaluationInterval(evaluationInterval)
                .evaluationEpisodes(evaluationEpisodes)
                .actionMax(actionMax);
    }

    /** An empty builder: every value must be set before {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Hyperparameters}; a value never set fails {@link #build()} with its name. */
    public static final class Builder {
        private Integer explorationSteps;
        private Integer times;
        private Integer capacity;
        private Integer hidden;
        private Integer criticNodes;
        private Integer critics;
        private Integer batchSize;
        private Integer updatesPerStep;
        private Double learningRate;
        private Double adamBeta1;
        private Double adamBeta2;
        private Double adamEpsilon;
        private Double weightDecay;
        private Double tau;
        private Double gamma;
        private Double emaAlpha;
        private Double noiseStd;
        private Double noiseClamp;
        private DropoutMode dropout;
        private Double dropoutRate;
        private Double dimpleAmplitude;
        private Double dimpleWidth;
        private Boolean float16Storage;
        private Integer episodeLimit;
        private Integer fallMargin;
        private Integer evaluationInterval;
        private Integer evaluationEpisodes;
        private Double actionMax;

        private Builder() {
        }

        /** Sets explorationSteps: N_exp, steps of exploration before learning starts. */
        public Builder explorationSteps(int v) { this.explorationSteps = v; return this; }

        /** Sets times: how many times the exploration data is repeated to fill the buffer. */
        public Builder times(int v) { this.times = v; return this; }

        /** Sets capacity: N_rb, replay capacity. */
        public Builder capacity(int v) { this.capacity = v; return this; }

        /** Sets hidden: h, hidden width of every FeedForward. */
        public Builder hidden(int v) { this.hidden = v; return this; }

        /** Sets criticNodes: q, output nodes of each critic. */
        public Builder criticNodes(int v) { this.criticNodes = v; return this; }

        /** Sets critics: number of critics (3). */
        public Builder critics(int v) { this.critics = v; return this; }

        /** Sets batchSize: B. */
        public Builder batchSize(int v) { this.batchSize = v; return this; }

        /** Sets updatesPerStep: G, updates per environment step. */
        public Builder updatesPerStep(int v) { this.updatesPerStep = v; return this; }

        /** Sets learningRate: AdamW learning rate. */
        public Builder learningRate(double v) { this.learningRate = v; return this; }

        /** Sets adamBeta1: β1 (1/φ). */
        public Builder adamBeta1(double v) { this.adamBeta1 = v; return this; }

        /** Sets adamBeta2: β2 (1 − τ). */
        public Builder adamBeta2(double v) { this.adamBeta2 = v; return this; }

        /** Sets adamEpsilon: ε in m/(√v + ε). */
        public Builder adamEpsilon(double v) { this.adamEpsilon = v; return this; }

        /** Sets weightDecay: λ. */
        public Builder weightDecay(double v) { this.weightDecay = v; return this; }

        /** Sets tau: Polyak factor τ. */
        public Builder tau(double v) { this.tau = v; return this; }

        /** Sets gamma: discount γ. */
        public Builder gamma(double v) { this.gamma = v; return this; }

        /** Sets emaAlpha: α of the temporal-advantage moving average (1/φ). */
        public Builder emaAlpha(double v) { this.emaAlpha = v; return this; }

        /** Sets noiseStd: noise scale (1/e; SE 1/π). */
        public Builder noiseStd(double v) { this.noiseStd = v; return this; }

        /** Sets noiseClamp: clamp of the standard normal before scaling (e; SE π). */
        public Builder noiseClamp(double v) { this.noiseClamp = v; return this; }

        /** Sets dropout: GradientDropout mode. */
        public Builder dropout(DropoutMode v) { this.dropout = v; return this; }

        /** Sets dropoutRate: p for FIXED dropout. */
        public Builder dropoutRate(double v) { this.dropoutRate = v; return this; }

        /** Sets dimpleAmplitude: amplitude of the S̃2 dimple on both weight curves; 0 for none. */
        public Builder dimpleAmplitude(double v) { this.dimpleAmplitude = v; return this; }

        /** Sets dimpleWidth: width of the S̃2 dimple. */
        public Builder dimpleWidth(double v) { this.dimpleWidth = v; return this; }

        /** Sets float16Storage: store the replay buffer as float16. */
        public Builder float16Storage(boolean v) { this.float16Storage = v; return this; }

        /** Sets episodeLimit: episode cap in steps (1000). */
        public Builder episodeLimit(int v) { this.episodeLimit = v; return this; }

        /** Sets fallMargin: steps before the limit at which active drops to 0 (50). */
        public Builder fallMargin(int v) { this.fallMargin = v; return this; }

        /** Sets evaluationInterval: steps between evaluations (2500). */
        public Builder evaluationInterval(int v) { this.evaluationInterval = v; return this; }

        /** Sets evaluationEpisodes: episodes per evaluation (25). */
        public Builder evaluationEpisodes(int v) { this.evaluationEpisodes = v; return this; }

        /** Sets actionMax: a_max for every action dimension; 0 derives max(1, |bound|) per dimension. */
        public Builder actionMax(double v) { this.actionMax = v; return this; }

        public Hyperparameters build() {
            return new Hyperparameters(
                    need(explorationSteps, "explorationSteps"),
                    need(times, "times"),
                    need(capacity, "capacity"),
                    need(hidden, "hidden"),
                    need(criticNodes, "criticNodes"),
                    need(critics, "critics"),
                    need(batchSize, "batchSize"),
                    need(updatesPerStep, "updatesPerStep"),
                    need(learningRate, "learningRate"),
                    need(adamBeta1, "adamBeta1"),
                    need(adamBeta2, "adamBeta2"),
                    need(adamEpsilon, "adamEpsilon"),
                    need(weightDecay, "weightDecay"),
                    need(tau, "tau"),
                    need(gamma, "gamma"),
                    need(emaAlpha, "emaAlpha"),
                    need(noiseStd, "noiseStd"),
                    need(noiseClamp, "noiseClamp"),
                    need(dropout, "dropout"),
                    need(dropoutRate, "dropoutRate"),
                    need(dimpleAmplitude, "dimpleAmplitude"),
                    need(dimpleWidth, "dimpleWidth"),
                    need(float16Storage, "float16Storage"),
                    need(episodeLimit, "episodeLimit"),
                    need(fallMargin, "fallMargin"),
                    need(evaluationInterval, "evaluationInterval"),
                    need(evaluationEpisodes, "evaluationEpisodes"),
                    need(actionMax, "actionMax"));
        }

        private static <T> T need(T v, String name) {
            if (v == null) throw new IllegalArgumentException("hyper-parameter '" + name + "' is not set");
            return v;
        }
    }
}
