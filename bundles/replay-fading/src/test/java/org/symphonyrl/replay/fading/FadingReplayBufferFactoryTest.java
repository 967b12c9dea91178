package org.symphonyrl.replay.fading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.replay.storage.Transitions;

class FadingReplayBufferFactoryTest {

    @Test
    void buildsFadingBuffersAndIsRegisteredAsKindFading() throws Exception {
        ReplayBuffer b = new FadingReplayBufferFactory().create(Transitions.spec(3, 2), Transitions.params(10, 2), 1);
        assertEquals("fading", b.kind());
        assertEquals(10, b.capacity());
        assertEquals(0, b.size());
        assertEquals(1.0, b.rewardScale());
        // the Declarative Services descriptor bnd generated from the @Component annotation
        Path xml = Path.of("target/classes/OSGI-INF/" + FadingReplayBufferFactory.class.getName() + ".xml");
        String descriptor = Files.readString(xml);
        assertTrue(descriptor.contains("name=\"replay.kind\"") && descriptor.contains("value=\"fading\""), descriptor);
        assertTrue(descriptor.contains("org.symphonyrl.api.ReplayBufferFactory"), descriptor);
    }
}
