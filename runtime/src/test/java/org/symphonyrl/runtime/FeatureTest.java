package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTest {

    @Test
    void readsNameBundlesInOrderAndConfiguration(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f.json");
        Files.writeString(f, "{\"name\":\"n\",\"description\":\"d\",\"bundles\":[\"b1\",\"b2\"],"
                + "\"configuration\":{\"k\":\"v\",\"n\":3}}");
        Feature feature = Feature.read(f);
        assertEquals("n", feature.name());
        assertEquals(List.of("b1", "b2"), feature.bundles());
        assertEquals("v", feature.configuration().get("k"));
        assertEquals("3", feature.configuration().get("n"));
    }

    @Test
    void everyDefectNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
        assertMessage(dir, "{\"bundles\":[\"a\"]}", "field 'name' must be a string");
        assertMessage(dir, "{\"name\":\"x\"}", "field 'bundles' must be an array of bundle names");
        assertMessage(dir, "{\"name\":\"x\",\"bundles\":[]}", "field 'bundles' is empty");
        assertMessage(dir, "{\"name\":\"x\",\"bundles\":[3]}", "bundles[0] must be a non-empty string");
        assertMessage(dir, "{\"name\":\"x\",\"bundles\":[\"a\"],\"bundel\":1}", "unknown field 'bundel'");
        assertMessage(dir, "{\"name\":", "not valid JSON");
    }

    @Test
    void theShippedDefaultFeatureListsEveryBundleTheDistributionHas() throws Exception {
        Feature feature = RuntimeFixture.feature("default");
        try (var files = Files.list(RuntimeFixture.BUNDLES)) {
            List<String> shipped = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            assertEquals(shipped, feature.bundles().stream().sorted().toList());
        }
    }

    private static void assertMessage(Path dir, String json, String expected) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Feature.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
