package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/** Real Gymnasium MuJoCo environments through the real bridge (one server, started from .venv), checked against Gymnasium in-process. */
class GymnasiumBridgeTest {

    private static GymnasiumEnvironmentFactory factory;

    @BeforeAll
    static void startBridge() {
        factory = new GymnasiumEnvironmentFactory(TestPython.ownServer());
    }

    @AfterAll
    static void stopBridge() {
        factory.close();
    }

    @ParameterizedTest
    @CsvSource({"Hopper-v5, 11, 3, 1.0", "Humanoid-v5, 348, 17, 0.4"})
    void spacesMatchGymnasium(String id, int observationSize, int actionSize, float bound) {
        try (Environment env = factory.create(id, Map.of())) {
            EnvSpec spec = env.spec();
            GymnasiumReference.Result reference = GymnasiumReference.run(id, Map.of(), List.of(), List.of());
            assertEquals(id, spec.id());
            assertEquals(observationSize, spec.observationSize());
            assertEquals(reference.observationSize(), spec.observationSize());
            assertEquals(actionSize, spec.actionSize());
            assertEquals(1000, spec.maxEpisodeSteps());
            assertEquals(reference.maxEpisodeSteps(), spec.maxEpisodeSteps());
            for (int i = 0; i < actionSize; i++) {
                assertEquals(-bound, spec.actionLow()[i]);
                assertEquals(bound, spec.actionHigh()[i]);
                assertEquals((float) reference.actionLow()[i], spec.actionLow()[i]);
                assertEquals((float) reference.actionHigh()[i], spec.actionHigh()[i]);
            }
            for (int i = 0; i < observationSize; i++) {
                assertEquals(Float.NEGATIVE_INFINITY, spec.observationLow()[i]);
                assertEquals(Float.POSITIVE_INFINITY, spec.observationHigh()[i]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"Hopper-v5, 42", "Hopper-v5, -5", "Humanoid-v5, 7"})
    void seededResetGivesGymnasiumsObservation(String id, long seed) {
        try (Environment env = factory.create(id, Map.of())) {
            GymnasiumReference.Result reference = GymnasiumReference.run(id, Map.of(),
                    Arrays.asList(seed, null), List.of());
            assertArrayEquals(reference.resets().get(0), env.reset(seed));
            assertArrayEquals(reference.resets().get(1), env.reset(), "reset() continues the seeded generator");
            assertArrayEquals(reference.resets().get(0), env.reset(seed), "the same seed again gives the same start");
        }
    }

    @ParameterizedTest
    @CsvSource({"Hopper-v5, 3", "Humanoid-v5, 4"})
    void fullEpisodeMatchesGymnasiumStepForStepAndEndsTerminated(String id, long seed) {
        try (Environment env = factory.create(id, Map.of())) {
            List<float[]> actions = randomActions(env.spec(), 1000, seed);
            GymnasiumReference.Result reference = GymnasiumReference.run(id, Map.of(), List.of(seed), actions);
            env.reset(seed);
            List<GymnasiumReference.Step> expected = reference.steps();
            StepResult last = null;
            for (int t = 0; t < expected.size(); t++) {
                last = env.step(actions.get(t));
                GymnasiumReference.Step e = expected.get(t);
                assertArrayEquals(e.observation(), last.observation(), "observation at step " + t);
                assertEquals(e.reward(), last.reward(), 0.0, "reward at step " + t);
                assertEquals(e.terminated(), last.terminated(), "terminated at step " + t);
                assertEquals(e.truncated(), last.truncated(), "truncated at step " + t);
            }
            // random flailing makes both robots fall well before the time limit
            assertTrue(last.terminated() && !last.truncated() && expected.size() < 1000, "ended " + last);
            assertFalse(last.interrupted());
            assertTrue(last.info().containsKey("x_position"), "Gymnasium's info travels: " + last.info().keySet());
            float[] action = actions.get(0);
            assertThrows(IllegalStateException.class, () -> env.step(action), "no step after the episode ended");
        }
    }

    @Test
    void timeLimitTruncatesAsGymnasiumDoes() {
        Map<String, Object> options = Map.of("max_episode_steps", 20);
        try (Environment env = factory.create("Hopper-v5", Map.of("max_episode_steps", 20,
                Bridge.OPTION_ALLOW_KWARGS, "max_episode_steps"))) {
            assertEquals(20, env.spec().maxEpisodeSteps());
            List<float[]> zeros = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                zeros.add(new float[3]);
            }
            GymnasiumReference.Result reference = GymnasiumReference.run("Hopper-v5", options, List.of(0L), zeros);
            assertEquals(20, reference.steps().size());
            env.reset(0);
            for (int t = 0; t < 20; t++) {
                StepResult r = env.step(zeros.get(t));
                assertEquals(t == 19, r.truncated(), "truncated at step " + t);
                assertFalse(r.terminated());
                assertEquals(reference.steps().get(t).reward(), r.reward(), 0.0);
            }
        }
    }

    @Test
    void badInputGetsClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> factory.create("NoSuchRobot-v9", Map.of()));
        assertTrue(unknown.getMessage().contains("unknown_env_id") && unknown.getMessage().contains("NoSuchRobot-v9"),
                unknown.getMessage());
        IllegalArgumentException discrete = assertThrows(IllegalArgumentException.class,
                () -> factory.create("CartPole-v1", Map.of()));
        assertTrue(discrete.getMessage().contains("Discrete"), discrete.getMessage());
        IllegalArgumentException options = assertThrows(IllegalArgumentException.class,
                () -> factory.create("Hopper-v5", Map.of("no_such_option", 1, Bridge.OPTION_ALLOW_KWARGS, "no_such_option")));
        assertTrue(options.getMessage().contains("make_failed") && options.getMessage().contains("no_such_option"),
                options.getMessage());
        assertThrows(IllegalArgumentException.class, () -> factory.create("not an id", Map.of()));

        try (Environment env = factory.create("Hopper-v5", Map.of())) {
            IllegalStateException early = assertThrows(IllegalStateException.class, () -> env.step(new float[3]));
            assertTrue(early.getMessage().contains("reset"), early.getMessage());
            env.reset(1);
            IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> env.step(new float[4]));
            assertTrue(length.getMessage().contains("expected 3"), length.getMessage());
            assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {0, Float.NaN, 0}));
            assertEquals(11, env.step(new float[3]).observation().length, "the episode goes on after refused actions");
        }
    }

    @Test
    void keywordArgumentsAreRefusedUnlessAllowedAndTheRefusalNamesTheOption() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> factory.create("Hopper-v5", Map.of("xml_file", "/etc/hostname")));
        assertTrue(refused.getMessage().contains("bad_field") && refused.getMessage().contains("--env-kwarg xml_file=VALUE"),
                refused.getMessage());
        IllegalArgumentException module = assertThrows(IllegalArgumentException.class,
                () -> factory.create("gymnasium.envs.mujoco:Hopper-v5", Map.of()));
        assertTrue(module.getMessage().contains("unknown_env_id")
                && module.getMessage().contains("--allow-module gymnasium.envs.mujoco"), module.getMessage());
        try (Environment env = factory.create("gymnasium.envs.mujoco:Hopper-v5",
                Map.of(Bridge.OPTION_ALLOW_MODULES, "gymnasium.envs.mujoco"))) {
            assertEquals(11, env.reset(0).length, "allowed by the create option");
        }
    }

    @Test
    void frameworkWideAllowListsAllowToo() {
        BridgeSettings allowing = TestPython.ownServer();
        allowing = new BridgeSettings(null, allowing.python(), Duration.ofSeconds(10), Duration.ofSeconds(120), 2, null,
                allowing.userDirectory(), List.of("gymnasium.envs.mujoco"), List.of("max_episode_steps"));
        try (GymnasiumEnvironmentFactory other = new GymnasiumEnvironmentFactory(allowing);
             Environment env = other.create("gymnasium.envs.mujoco:Hopper-v5", Map.of("max_episode_steps", 7))) {
            assertEquals(7, env.spec().maxEpisodeSteps());
        }
    }

    @Test
    void optionsForTheFactoryNeverReachGymnasiumMake() {
        try (Environment env = factory.create("InvertedPendulum-v5", Map.of("symphony.anything", "x"))) {
            assertEquals(4, env.reset(0).length);
        }
    }

    @Test
    void anInfiniteRewardTravelsAndTheEpisodeGoesOn() {
        try (Environment env = factory.create("Hopper-v5", Map.of())) {
            env.reset(0);
            StepResult huge = env.step(new float[] {3e38f, 3e38f, 3e38f}); // the control cost overflows
            assertEquals(Double.NEGATIVE_INFINITY, huge.reward());
            assertFalse(huge.interrupted());
            env.reset(0);
            assertTrue(Double.isFinite(env.step(new float[3]).reward()), "the server stayed consistent");
        }
    }

    @Test
    void serverRefusesAClientOfAnotherMajorVersionAndStrangersAndKeepsServing() throws Exception {
        try (PythonServer server = PythonServer.start(); RawClient raw = new RawClient(server.endpoint, null)) {
            for (String other : List.of("1.0", "3.0")) {
                JsonObject reply = raw.request("{\"v\":\"" + other + "\",\"op\":\"hello\",\"nonce\":\"" + "ab".repeat(16) + "\"}");
                assertEquals("version_mismatch", reply.getAsJsonObject("error").get("code").getAsString());
                String message = reply.getAsJsonObject("error").get("message").getAsString();
                assertTrue(message.contains(other) && message.contains(Protocol.VERSION), message);
            }
            assertEquals(Protocol.E_UNAUTHORIZED, raw.request("{\"v\":\"2.0\",\"op\":\"ping\"}")
                    .getAsJsonObject("error").get("code").getAsString(), "no session, no service");
            assertEquals("malformed_message", raw.request("\u0000\u0001garbage").getAsJsonObject("error")
                    .get("code").getAsString());
            try (BridgeConnection owner = server.connect()) {
                assertEquals(Protocol.VERSION, owner.hello(Duration.ofSeconds(20)).get("v").getAsString());
            }
        }
    }

    @Test
    void fuzzedFramesGetErrorRepliesAndTheServerKeepsServing() throws Exception {
        // the pytest suite fuzzes the server from Python; this is the same from the JeroMQ side
        java.util.Set<String> codes = new java.util.TreeSet<>();
        Random random = new Random(20261125);
        try (PythonServer server = PythonServer.start();
             GymnasiumEnvironmentFactory external = new GymnasiumEnvironmentFactory(new BridgeSettings(server.endpoint,
                     null, Duration.ofSeconds(10), Duration.ofSeconds(120), 2, null)
                     .withUserDirectory(TestPython.userDirectoryWithKey(server.key)));
             Environment env = external.create("Hopper-v5", Map.of());
             RawClient raw = new RawClient(server.endpoint, server.key)) {
            env.reset(0);
            String session = ",\"session\":\"" + raw.session() + "\"";
            String[] valid = {"{\"v\":\"2.0\",\"op\":\"step\",\"env\":1" + session + "}",
                    "{\"v\":\"2.0\",\"op\":\"reset\",\"env\":1,\"seed\":3" + session + "}",
                    "{\"v\":\"2.0\",\"op\":\"make\",\"id\":\"Hopper-v5\"" + session + "}",
                    "{\"v\":\"2.0\",\"op\":\"ping\"" + session + "}",
                    "{\"v\":\"2.0\",\"op\":\"hello\",\"nonce\":\"" + "cd".repeat(16) + "\"}"};
            for (int i = 0; i < 300; i++) {
                byte[] header = valid[i % valid.length].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                switch (i % 3) {
                    case 0 -> {
                        header = new byte[random.nextInt(120)];
                        random.nextBytes(header);
                    }
                    case 1 -> header[random.nextInt(header.length)] = (byte) random.nextInt(256);
                    default -> header = Arrays.copyOf(header, random.nextInt(header.length));
                }
                byte[][] arrays = new byte[random.nextInt(3)][];
                for (int a = 0; a < arrays.length; a++) {
                    arrays[a] = new byte[random.nextInt(80)];
                    random.nextBytes(arrays[a]);
                }
                JsonObject reply = raw.request(header, arrays);
                if (!reply.get("ok").getAsBoolean()) {
                    codes.add(reply.getAsJsonObject("error").get("code").getAsString());
                }
            }
            assertTrue(codes.contains(Protocol.E_MALFORMED), codes.toString());
            assertTrue(java.util.Set.of(Protocol.E_VERSION, Protocol.E_MALFORMED, Protocol.E_UNKNOWN_OP, Protocol.E_BAD_FIELD,
                    Protocol.E_NO_SUCH_ENV, Protocol.E_NOT_RESET, Protocol.E_ACTION_LENGTH, Protocol.E_ACTION_NOT_FINITE,
                    Protocol.E_UNKNOWN_ENV_ID, Protocol.E_TOO_LARGE, Protocol.E_TOO_MANY_ENVS, Protocol.E_ENV_FAILED,
                    Protocol.E_UNAUTHORIZED).containsAll(codes), codes.toString());
            StepResult after = env.step(new float[3]);
            assertFalse(after.interrupted());
            assertEquals(11, after.observation().length, "the server still serves, and the raw client's session "
                    + "could not touch the factory's environment");
        }
    }

    @Test
    void freshConnectionsShakeHandsPromptly() throws Exception {
        // JeroMQ holds the first message of a few percent of new connections to libzmq for 30 s; the
        // handshake's short tries on fresh sockets must hide that (60 connections: a stall is near certain without)
        try (PythonServer server = PythonServer.start()) {
            long worstMs = 0;
            for (int i = 0; i < 60; i++) {
                long start = System.nanoTime();
                try (BridgeConnection connection = server.connect()) {
                    assertEquals(Protocol.VERSION, connection.hello(Duration.ofSeconds(20)).get("v").getAsString());
                }
                worstMs = Math.max(worstMs, (System.nanoTime() - start) / 1_000_000);
            }
            assertTrue(worstMs < 3000, "slowest handshake took " + worstMs + " ms");
        }
    }

    static List<float[]> randomActions(EnvSpec spec, int n, long seed) {
        Random random = new Random(seed);
        float[] low = spec.actionLow();
        float[] high = spec.actionHigh();
        List<float[]> actions = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            float[] a = new float[spec.actionSize()];
            for (int i = 0; i < a.length; i++) {
                a[i] = low[i] + random.nextFloat() * (high[i] - low[i]);
            }
            actions.add(a);
        }
        return actions;
    }
}
