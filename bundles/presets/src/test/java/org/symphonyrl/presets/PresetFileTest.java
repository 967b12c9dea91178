package org.symphonyrl.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.Preset;

/** A user's preset file: a base and a few overrides; every defect named by field. */
class PresetFileTest {

    @TempDir
    Path dir;

    private final PresetCatalog catalog = new PresetCatalog();

    @Test
    void aSmallPresetBasedOnS3DerivesTheRestFromItsKnobs() throws Exception {
        Preset p = read("{\"name\":\"pendulum\",\"base\":\"S3\",\"explorationSteps\":1024,\"hidden\":256}");
        Hyperparameters h = p.hyperparameters();
        assertEquals("pendulum", p.name());
        assertEquals(51200, h.capacity());  // 50 * 1024
        assertEquals(256, h.hidden());      // explicit
        assertEquals(64, h.criticNodes());  // 256 / 4
        assertEquals(192, h.batchSize());   // 3 * 64
        assertEquals(catalog.find("S3").hyperparameters().learningRate(), h.learningRate());
    }

    @Test
    void namedConstantsAreExact() throws Exception {
        Preset p = read("{\"name\":\"x\",\"base\":\"S3\",\"noiseStd\":\"1/pi\",\"emaAlpha\":\"1/phi\"}");
        assertEquals(1 / Math.PI, p.hyperparameters().noiseStd());
        assertEquals(0.6180339887498949, p.hyperparameters().emaAlpha()); // (√5 − 1) / 2, correctly rounded
    }

    @Test
    void defectsAreNamedByField() {
        fails("{\"name\":\"x\",\"base\":\"S3\",\"hiden\":3}", "unknown field 'hiden'");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"hidden\":\"big\"}", "field 'hidden' must be a whole number");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"hidden\":2.5}", "field 'hidden' must be a whole number, got 2.5");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"noiseStd\":\"1/tau\"}", "field 'noiseStd' must be a number or one of");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"float16Storage\":1}", "field 'float16Storage' must be true or false");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"dropout\":\"HALF\"}", "field 'dropout' must be NONE, FIXED or RANDOM");
        fails("{\"name\":\"x\",\"base\":\"S4\"}", "field 'base' names unknown preset 'S4'");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"tau\":1.5}", "tau must be in (0, 1), got 1.5");
        fails("{\"name\":\"x\",\"base\":\"S3\",\"hidden\":0}", "hidden must be >= 1, got 0");
        fails("{\"base\":\"S3\"}", "field 'name' is required");
        fails("{\"name\":\"x\",\"explorationSteps\":100}", "field 'times' is not set");
        fails("{\"name\":\"x\",", "not valid JSON");
        fails("[1]", "a preset is a JSON object");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.read(missing));
        assertEquals(missing + ": no such preset file", e.getMessage());
    }

    private Preset read(String json) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, json);
        return catalog.read(f);
    }

    private void fails(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(json), json);
        assertTrue(e.getMessage().startsWith(dir.resolve("p.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
