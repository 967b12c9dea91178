package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration: the paper's defaults, conversion from a property map, and clear errors. */
class SacConfigsTest {

    @Test
    void theDefaultsAreThePapersSettings() {
        SacConfig c = SacConfigs.defaults();
        assertEquals(256, c.hidden());
        assertEquals(3e-4, c.actorLearningRate());
        assertEquals(3e-4, c.criticLearningRate());
        assertEquals(3e-4, c.alphaLearningRate());
        assertEquals(0.99, c.gamma());
        assertEquals(0.005, c.tau());
        assertEquals(256, c.batchSize());
        assertEquals(1, c.updatesPerStep());
        assertEquals(5000, c.warmupSteps());
        assertEquals(1.0, c.initialAlpha());
        assertEquals(1.0, c.targetEntropyScale());
        assertEquals(-20.0, c.logStdMin());
        assertEquals(2.0, c.logStdMax());
        assertEquals(13, SacConfigs.NAMES.size(), "every knob is checked here: " + SacConfigs.NAMES);
    }

    @Test
    void numbersAndNumericStringsConvertAndMissingKeysKeepTheirDefaults() {
        SacConfig c = SacConfigs.from(Map.of("hidden", "64", "criticLearningRate", "1e-3", "gamma", 0.95f,
                "warmupSteps", 1000L, "batchSize", 128.0));
        assertEquals(64, c.hidden());
        assertEquals(1e-3, c.criticLearningRate());
        assertEquals(0.95, c.gamma(), 1e-7);
        assertEquals(1000, c.warmupSteps());
        assertEquals(128, c.batchSize());
        assertEquals(3e-4, c.actorLearningRate(), "default");
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SacConfigs.from(Map.of("learningRate", 1e-3)));
        assertTrue(e.getMessage().contains("unknown key 'learningRate'")
                && e.getMessage().contains("actorLearningRate, alphaLearningRate"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongKindIsNamedWithWhatIsExpected() {
        assertMessage(Map.of("hidden", "wide"), "'hidden' is \"wide\", expected an integer");
        assertMessage(Map.of("hidden", 12.5), "'hidden' is 12.5 (Double), expected an integer");
        assertMessage(Map.of("tau", "fast"), "'tau' is \"fast\", expected a number");
        assertMessage(Map.of("gamma", true), "'gamma' is true (Boolean), expected a number");
    }

    @Test
    void aValueOutOfRangeIsNamedWithItsRange() {
        assertMessage(Map.of("hidden", 0), "'hidden' is 0, expected an integer >= 1");
        assertMessage(Map.of("actorLearningRate", -1e-4), "'actorLearningRate' is -1.0E-4, expected a finite number > 0");
        assertMessage(Map.of("alphaLearningRate", "NaN"), "'alphaLearningRate' is NaN");
        assertMessage(Map.of("gamma", 1.5), "'gamma' is 1.5, expected a number in [0.0, 1.0]");
        assertMessage(Map.of("tau", 0), "'tau' is 0.0, expected 0 < tau <= 1");
        assertMessage(Map.of("warmupSteps", -1), "'warmupSteps' is -1, expected an integer >= 0");
        assertMessage(Map.of("initialAlpha", 0), "'initialAlpha' is 0.0, expected a finite number > 0");
        assertMessage(Map.of("logStdMin", 3), "'logStdMin' (3.0) must be less than 'logStdMax' (2.0)");
    }

    private static void assertMessage(Map<String, ?> properties, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SacConfigs.from(properties));
        assertTrue(e.getMessage().startsWith("SAC configuration: ") && e.getMessage().contains(expected),
                e.getMessage());
    }
}
