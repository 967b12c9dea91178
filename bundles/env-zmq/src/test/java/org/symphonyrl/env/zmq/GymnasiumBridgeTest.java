package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        try (Environment env = factory.create("Hopper-v5", options)) {
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
                () -> factory.create("Hopper-v5", Map.of("no_such_option", 1)));
        assertTrue(options.getMessage().contains("no_such_option"), options.getMessage());
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
    void serverRefusesAClientOfAnotherMajorVersionAndKeepsServing() {
        // talk to the same server as the factory with a raw socket, bypassing the client's own checks
        Bridge bridge = factory.bridge();
        try (RawClient raw = new RawClient(bridge.endpoint())) {
            com.google.gson.JsonObject reply = raw.request("{\"v\":\"2.0\",\"op\":\"hello\"}");
            assertEquals("version_mismatch", reply.getAsJsonObject("error").get("code").getAsString());
            String message = reply.getAsJsonObject("error").get("message").getAsString();
            assertTrue(message.contains("2.0") && message.contains(Protocol.VERSION), message);
            assertTrue(raw.request("{\"v\":\"1.0\",\"op\":\"ping\"}").get("ok").getAsBoolean());
            assertEquals("malformed_message", raw.request("\u0000\u0001garbage").getAsJsonObject("error")
                    .get("code").getAsString());
        }
        try (Environment env = factory.create("InvertedPendulum-v5", Map.of())) {
            assertEquals(4, env.reset(0).length);
        }
    }

    @Test
    void fuzzedFramesGetErrorRepliesAndTheServerKeepsServing() {
        // the pytest suite fuzzes the server from Python; this is the same from the JeroMQ side
        java.util.Set<String> codes = new java.util.TreeSet<>();
        Random random = new Random(20261125);
        String[] valid = {"{\"v\":\"1.0\",\"op\":\"step\",\"env\":1}", "{\"v\":\"1.0\",\"op\":\"reset\",\"env\":1,\"seed\":3}",
                "{\"v\":\"1.0\",\"op\":\"make\",\"id\":\"Hopper-v5\"}", "{\"v\":\"1.0\",\"op\":\"ping\"}"};
        try (Environment env = factory.create("Hopper-v5", Map.of());
             RawClient raw = new RawClient(factory.bridge().endpoint())) {
            env.reset(0);
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
                com.google.gson.JsonObject reply = raw.request(header, arrays);
                if (!reply.get("ok").getAsBoolean()) {
                    codes.add(reply.getAsJsonObject("error").get("code").getAsString());
                }
            }
            assertTrue(codes.contains(Protocol.E_MALFORMED), codes.toString());
            assertTrue(java.util.Set.of(Protocol.E_VERSION, Protocol.E_MALFORMED, Protocol.E_UNKNOWN_OP, Protocol.E_BAD_FIELD,
                    Protocol.E_NO_SUCH_ENV, Protocol.E_NOT_RESET, Protocol.E_ACTION_LENGTH, Protocol.E_ACTION_NOT_FINITE,
                    Protocol.E_UNKNOWN_ENV_ID, "too_large", "too_many_envs", "env_failed").containsAll(codes), codes.toString());
            StepResult after = env.step(new float[3]);
            assertFalse(after.interrupted());
            assertEquals(11, after.observation().length, "the server still serves");
        }
    }

    @Test
    void freshConnectionsShakeHandsPromptly() {
        // JeroMQ holds the first message of a few percent of new connections to libzmq for 30 s; the
        // handshake's short tries on fresh sockets must hide that (60 connections: a stall is near certain without)
        String endpoint = factory.bridge().endpoint();
        long worstMs = 0;
        for (int i = 0; i < 60; i++) {
            long start = System.nanoTime();
            try (BridgeConnection connection = new BridgeConnection(endpoint, 0, () -> true, null)) {
                assertEquals(Protocol.VERSION, connection.hello(java.time.Duration.ofSeconds(20)).get("v").getAsString());
            }
            worstMs = Math.max(worstMs, (System.nanoTime() - start) / 1_000_000);
        }
        assertTrue(worstMs < 3000, "slowest handshake took " + worstMs + " ms");
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
