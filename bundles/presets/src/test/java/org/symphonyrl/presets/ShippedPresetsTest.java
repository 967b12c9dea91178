package org.symphonyrl.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.Hyperparameters;

/** The five presets against the numbers of docs/algorithm.md §1 and §6, written out by hand. */
class ShippedPresetsTest {

    private static final double ONE_OVER_PHI = 0.6180339887498949; // (√5 − 1) / 2 correctly rounded
    private static final double ONE_OVER_E = 0.36787944117144233;
    private static final double E = 2.718281828459045;
    private static final double ONE_OVER_PI = 0.3183098861837907;
    private static final double PI = 3.141592653589793;

    private final PresetCatalog catalog = new PresetCatalog();

    @Test
    void theFivePresetsShipInOrder() {
        assertEquals(List.of("S3", "SE", "S2", "ED", "S~2"), catalog.shipped().stream().map(p -> p.name()).toList());
    }

    @Test
    void s3HasThePapersHumanoidSizesAndConstants() {
        Hyperparameters p = catalog.find("S3").hyperparameters();
        assertEquals(10240, p.explorationSteps());
        assertEquals(50, p.times());
        assertEquals(512000, p.capacity());
        assertEquals(512, p.hidden());
        assertEquals(128, p.criticNodes());
        assertEquals(3, p.critics());
        assertEquals(384, p.totalCriticNodes());
        assertEquals(384, p.batchSize());
        assertEquals(3, p.updatesPerStep());
        assertEquals(1e-4, p.learningRate());
        assertEquals(ONE_OVER_PHI, p.adamBeta1());
        assertEquals(0.995, p.adamBeta2());
        assertEquals(1e-8, p.adamEpsilon());
        assertEquals(0.01, p.weightDecay());
        assertEquals(0.005, p.tau());
        assertEquals(0.99, p.gamma());
        assertEquals(ONE_OVER_PHI, p.emaAlpha());
        assertEquals(ONE_OVER_E, p.noiseStd(), 1e-16);
        assertEquals(E, p.noiseClamp(), 1e-15);
        assertEquals(DropoutMode.NONE, p.dropout());
        assertEquals(0.0, p.dimpleAmplitude());
        assertFalse(p.float16Storage());
        assertEquals(1000, p.episodeLimit());
        assertEquals(50, p.fallMargin());
        assertEquals(2500, p.evaluationInterval());
        assertEquals(25, p.evaluationEpisodes());
        assertEquals(0.0, p.actionMax());
    }

    @Test
    void seOnlyWeakensTheNoise() {
        Hyperparameters se = catalog.find("SE").hyperparameters();
        Hyperparameters s3 = catalog.find("S3").hyperparameters();
        assertEquals(ONE_OVER_PI, se.noiseStd(), 1e-16);
        assertEquals(PI, se.noiseClamp(), 1e-15);
        assertEquals(s3.toBuilder().noiseStd(se.noiseStd()).noiseClamp(se.noiseClamp()).build(), se);
    }

    @Test
    void s2DropsGradientsAndLearnsSlowerFromMoreExploration() {
        Hyperparameters p = catalog.find("S2").hyperparameters();
        assertEquals(20480, p.explorationSteps());
        assertEquals(25, p.times());
        assertEquals(512000, p.capacity());
        assertEquals(512, p.hidden());
        assertEquals(384, p.batchSize());
        assertEquals(5e-5, p.learningRate());
        assertEquals(DropoutMode.FIXED, p.dropout());
        assertEquals(0.5, p.dropoutRate());
    }

    @Test
    void edFixesItsSizesAndStoresFloat16() {
        Hyperparameters p = catalog.find("ED").hyperparameters();
        assertEquals(7680, p.explorationSteps());
        assertEquals(384000, p.capacity());
        assertEquals(384, p.hidden());
        assertEquals(96, p.criticNodes());
        assertEquals(288, p.batchSize());
        assertEquals(2, p.updatesPerStep());
        assertTrue(p.float16Storage());
    }

    @Test
    void s2TildeIsS2WithRandomDropoutAndTheDimple() {
        Hyperparameters p = catalog.find("S~2").hyperparameters();
        assertSame(catalog.find("S~2"), catalog.find("S2-tilde"));
        assertEquals(DropoutMode.RANDOM, p.dropout());
        assertEquals(0.02, p.dimpleAmplitude());
        assertEquals(0.02, p.dimpleWidth());
        assertEquals(5e-5, p.learningRate());
        assertEquals(20480, p.explorationSteps());
    }

    @Test
    void sizesDeriveFromAGivenExplorationLength() {
        // N_exp 1024: N_rb = 50 * 1024 = 51200, h = 51200 / 1000 = 51, q = 51 / 4 = 12, B = 3 * 12 = 36
        Hyperparameters p = catalog.find("S3").hyperparameters(1024);
        assertEquals(1024, p.explorationSteps());
        assertEquals(51200, p.capacity());
        assertEquals(51, p.hidden());
        assertEquals(12, p.criticNodes());
        assertEquals(36, p.batchSize());
        // S2 uses times 25: N_rb = 25 * 4096 = 102400, h 102, q 25, B 75
        Hyperparameters s2 = catalog.find("S2").hyperparameters(4096);
        assertEquals(102400, s2.capacity());
        assertEquals(102, s2.hidden());
        assertEquals(25, s2.criticNodes());
        assertEquals(75, s2.batchSize());
    }

    @Test
    void explicitSizesWinOverTheDerivation() {
        Hyperparameters p = catalog.find("ED").hyperparameters(1024);
        assertEquals(1024, p.explorationSteps());
        assertEquals(384000, p.capacity());
        assertEquals(384, p.hidden());
        assertEquals(96, p.criticNodes());
        assertEquals(288, p.batchSize());
    }
}
