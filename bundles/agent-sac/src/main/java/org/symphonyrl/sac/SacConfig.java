package org.symphonyrl.sac;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Soft Actor-Critic's knobs with the reference settings as defaults (Haarnoja et al. 2018,
 * "Soft Actor-Critic Algorithms and Applications", Table 1; CleanRL's and Stable-Baselines3's SAC
 * agree). Property names are the method names; {@link SacConfigs#from} turns a map into this type
 * and checks every value.
 */
@ObjectClassDefinition(id = SacConfig.PID, name = "Soft Actor-Critic",
        description = "Networks, optimisers and schedule of the Soft Actor-Critic agent")
public @interface SacConfig {

    /** The configuration PID (and the metatype id). */
    String PID = "org.symphonyrl.sac";

    @AttributeDefinition(description = "Units of each of the two hidden layers of the policy and of both Q networks")
    int hidden() default 256;

    @AttributeDefinition(description = "Adam learning rate of the policy")
    double actorLearningRate() default 3e-4;

    @AttributeDefinition(description = "Adam learning rate of the two Q networks")
    double criticLearningRate() default 3e-4;

    @AttributeDefinition(description = "Adam learning rate of log alpha (automatic entropy tuning)")
    double alphaLearningRate() default 3e-4;

    @AttributeDefinition(description = "Discount gamma; batches must carry gamma*(1-done) with this gamma")
    double gamma() default 0.99;

    @AttributeDefinition(description = "Polyak rate of the target Q networks: target <- (1-tau)*target + tau*online")
    double tau() default 0.005;

    @AttributeDefinition(description = "Transitions per update batch")
    int batchSize() default 256;

    @AttributeDefinition(description = "Updates per environment step once the warm-up is over")
    int updatesPerStep() default 1;

    @AttributeDefinition(description = "Training steps of uniform random actions before the policy acts and learning starts")
    int warmupSteps() default 5000;

    @AttributeDefinition(description = "Entropy temperature alpha at the start (log alpha is learned from there)")
    double initialAlpha() default 1.0;

    @AttributeDefinition(description = "Target entropy = -scale * action size (1: the paper's -|A|)")
    double targetEntropyScale() default 1.0;

    @AttributeDefinition(description = "Lower clamp of the policy's log standard deviation")
    double logStdMin() default -20.0;

    @AttributeDefinition(description = "Upper clamp of the policy's log standard deviation")
    double logStdMax() default 2.0;
}
