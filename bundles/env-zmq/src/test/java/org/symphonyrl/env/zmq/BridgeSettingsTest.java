package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

    @Test
    void defaultsStartTheServerFromTheHomesVenv() {
        BridgeSettings s = BridgeSettings.from(Map.of(BridgeSettings.HOME, "/opt/symphony")::get);
        assertNull(s.endpoint());
        assertEquals(Path.of("/opt/symphony/.venv/bin/python"), s.python());
        assertEquals(Duration.ofSeconds(10), s.requestTimeout());
        assertEquals(Duration.ofSeconds(120), s.makeTimeout());
        assertEquals(2, s.retries());
        assertNull(s.curveServerKey());
    }

    @Test
    void anEndpointMeansNoServerOfOurOwn() {
        BridgeSettings s = BridgeSettings.from(Map.of(BridgeSettings.ENDPOINT, " tcp://127.0.0.1:5555 ",
                BridgeSettings.TIMEOUT_MS, "250", BridgeSettings.RETRIES, "0")::get);
        assertEquals("tcp://127.0.0.1:5555", s.endpoint());
        assertNull(s.python());
        assertEquals(Duration.ofMillis(250), s.requestTimeout());
        assertEquals(0, s.retries());
    }

    @Test
    void withoutHomeTheVenvIsFoundAboveTheWorkingDirectory() {
        // tests run in bundles/env-zmq; the repository root two levels up has .venv and bridge-python
        assertEquals(TestPython.PYTHON, BridgeSettings.from(key -> null).python());
    }

    @Test
    void allowListsAndThePerUserDirectoryComeFromProperties() {
        BridgeSettings s = BridgeSettings.from(Map.of(BridgeSettings.ALLOW_MODULES, " my_envs , other.pkg,, ",
                BridgeSettings.ALLOW_KWARGS, "max_episode_steps", UserDirectory.PROPERTY, "/tmp/u")::get);
        assertEquals(List.of("my_envs", "other.pkg"), s.allowModules());
        assertEquals(List.of("max_episode_steps"), s.allowKwargs());
        assertEquals(Path.of("/tmp/u"), s.userDirectory().root());
        BridgeSettings none = BridgeSettings.from(Map.<String, String>of()::get);
        assertEquals(List.of(), none.allowModules());
        assertEquals(List.of(), none.allowKwargs());
    }

    @Test
    void withoutAPropertyThePerUserDirectoryIsTheVariableOrDotSymphonyAtHome() {
        String variable = System.getenv(UserDirectory.VARIABLE);
        Path expected = variable == null || variable.isBlank() ? Path.of(System.getProperty("user.home"), ".symphony")
                : Path.of(variable).toAbsolutePath();
        assertEquals(expected, UserDirectory.from(key -> null).root());
    }

    @Test
    void gymnasiumExplicitIdsAreTheBoxIdsTheInstalledGymnasiumServes() throws Exception {
        // an independent enumeration: Gymnasium's registry, each id made in-process, its spaces checked
        Process p = new ProcessBuilder(TestPython.python().toString(), "src/test/resources/gymnasium_box_ids.py")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> listed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().toList();
        assertEquals(0, p.waitFor());
        assertEquals(new java.util.TreeSet<>(listed), new java.util.TreeSet<>(GymnasiumEnvironmentFactory.IDS));
        for (String id : listed) {
            assertTrue(new GymnasiumEnvironmentFactory().supports(id), id);
        }
    }

    @Test
    void badNumbersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BridgeSettings.from(Map.of(BridgeSettings.TIMEOUT_MS, "ten")::get));
        assertTrue(e.getMessage().contains(BridgeSettings.TIMEOUT_MS) && e.getMessage().contains("ten"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(Map.of(BridgeSettings.RETRIES, "-1")::get));
    }
}
