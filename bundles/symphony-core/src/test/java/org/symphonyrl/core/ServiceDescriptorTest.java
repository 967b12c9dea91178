package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Declarative Services descriptor bnd generates from the annotations (it exists before the test phase). */
class ServiceDescriptorTest {

    @Test
    void factoryIsAnAgentFactoryOfKindSymphony() throws IOException {
        String xml = Files.readString(Path.of("target/classes/OSGI-INF", SymphonyAgentFactory.class.getName() + ".xml"));
        assertTrue(xml.contains("<provide interface=\"org.symphonyrl.api.AgentFactory\"/>"), xml);
        assertTrue(xml.contains("<property name=\"symphony.agent.kind\" type=\"String\" value=\"symphony\"/>"), xml);
    }
}
