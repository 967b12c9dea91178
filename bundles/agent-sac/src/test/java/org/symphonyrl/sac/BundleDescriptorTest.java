package org.symphonyrl.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What bnd writes before the test phase: a private bundle that registers nothing yet, and a metatype
 * description of SacConfig whose attributes and defaults are those the agent reads.
 */
class BundleDescriptorTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void theBundleIsPrivateAndRegistersNothing() throws IOException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        var main = manifest.getMainAttributes();
        assertEquals("org.symphonyrl.sac", main.getValue("Bundle-SymbolicName"));
        assertNull(main.getValue("Export-Package"), "nothing exported");
        assertNull(main.getValue("Service-Component"), "no Declarative Services component yet");
        assertTrue(main.getValue("Import-Package").contains("org.osgi.util.converter"), main.getValue("Import-Package"));
    }

    @Test
    void theMetatypeDescribesEveryKnobWithItsDefault() throws Exception {
        String xml = Files.readString(CLASSES.resolve("OSGI-INF/metatype/" + SacConfig.PID + ".xml"));
        assertTrue(xml.contains("<OCD id=\"" + SacConfig.PID + "\""), xml);
        Map<String, String> defaults = new TreeMap<>();
        Matcher m = Pattern.compile("<AD id=\"(\\w+)\"[^>]* default=\"([^\"]+)\"").matcher(xml);
        while (m.find()) {
            defaults.put(m.group(1), m.group(2));
        }
        assertEquals(SacConfigs.NAMES, defaults.keySet());
        SacConfig reference = SacConfigs.defaults();
        for (String name : SacConfigs.NAMES) {
            Method method = SacConfig.class.getMethod(name);
            assertEquals(String.valueOf(method.invoke(reference)), defaults.get(name), name);
        }
    }
}
