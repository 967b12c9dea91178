package org.symphonyrl.env.embedded;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Declarative Services descriptor bnd generates from the annotations (it exists before the test phase). */
class ServiceDescriptorTest {

    @Test
    void factoryIsAnEnvironmentFactoryServiceListingItsIdsAsAnArray() throws IOException {
        Path descriptor = Path.of("target/classes/OSGI-INF", EmbeddedEnvironmentFactory.class.getName() + ".xml");
        String xml = Files.readString(descriptor);
        assertTrue(xml.contains("<provide interface=\"org.symphonyrl.api.EnvironmentFactory\"/>"), xml);
        // A value in the element body (not a value attribute) is a String[] in DS, as the api documents.
        assertTrue(xml.contains("<property name=\"symphony.env.ids\" type=\"String\">Pendulum-v1</property>"), xml);
    }
}
