package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.EmergencyStopException;
import org.symphonyrl.api.StepResult;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The client's side of the protocol against a peer that misbehaves on purpose (a JeroMQ ROUTER in the test
 * answering by a script): a server that cannot prove the key, another protocol version, lost replies, silence,
 * replies the client must decode (non-finite rewards, emergency stops, pausable robots).
 */
class ScriptedPeerTest {

    private static final byte[] KEY = Handshake.newKey();
    private static final String OK = "{\"v\":\"2.0\",\"ok\":true}";
    /** A script's answer: no reply at all. */
    private static final Object[] SILENT = new Object[0];
    private final ZContext context = new ZContext(1);
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private Thread peer;
    private volatile boolean running = true;

    /**
     * Starts a peer; {@code script} maps each request header to a reply (header, then float32 frames), or
     * {@link #SILENT}, or null for the default: the handshake answered with {@code key}, silence to anything else.
     */
    private String peer(byte[] key, Function<JsonObject, Object[]> script) {
        ZMQ.Socket socket = context.createSocket(SocketType.ROUTER);
        socket.setLinger(0);
        socket.setReceiveTimeOut(50);
        int port = socket.bindToRandomPort("tcp://127.0.0.1");
        peer = new Thread(() -> {
            while (running) {
                ZMsg request = ZMsg.recvMsg(socket, true);
                if (request == null) {
                    continue;
                }
                byte[] identity = request.pop().getData();
                request.pop(); // delimiter
                JsonObject header = JsonParser.parseString(request.popString()).getAsJsonObject();
                received.add(header);
                Object[] reply = script.apply(header);
                if (reply == null) {
                    reply = handshake(key, header);
                }
                if (reply != null && reply != SILENT) {
                    ZMsg answer = new ZMsg();
                    answer.add(identity);
                    answer.add(new byte[0]);
                    answer.add(((String) reply[0]).getBytes(StandardCharsets.UTF_8));
                    for (int i = 1; i < reply.length; i++) {
                        answer.add(Float32Frames.encode((float[]) reply[i]));
                    }
                    answer.send(socket);
                }
            }
        });
        peer.start();
        return "tcp://127.0.0.1:" + port;
    }

    private static Object[] handshake(byte[] key, JsonObject header) {
        String op = op(header);
        if (op.equals(Protocol.OP_HELLO)) {
            String nonce = "ab".repeat(16);
            return new Object[] {"{\"v\":\"2.0\",\"ok\":true,\"nonce\":\"" + nonce + "\",\"proof\":\""
                    + Handshake.serverProof(key, header.get("nonce").getAsString(), nonce) + "\"}"};
        }
        if (op.equals(Protocol.OP_AUTH)) {
            return new Object[] {"{\"v\":\"2.0\",\"ok\":true,\"session\":\"s-1\",\"pid\":1}"};
        }
        return null;
    }

    @AfterEach
    void stop() throws InterruptedException {
        running = false;
        peer.join(2000);
        context.close();
    }

    private static String op(JsonObject header) {
        return header.get("op").getAsString();
    }

    private static Object[] reply(String header, float[]... arrays) {
        Object[] reply = new Object[1 + arrays.length];
        reply[0] = header;
        System.arraycopy(arrays, 0, reply, 1, arrays.length);
        return reply;
    }

    private List<JsonObject> requests(String op) {
        return received.stream().filter(h -> op(h).equals(op)).toList();
    }

    @Test
    void aServerThatCannotProveTheKeyIsRefusedBeforeTheClientProvesAnything() {
        String endpoint = peer(Handshake.newKey(), h -> null); // a process that took the port, without our key
        try (BridgeConnection connection = new BridgeConnection(endpoint, 0, () -> null, null, KEY)) {
            BridgeException refused = assertThrows(BridgeException.class, () -> connection.hello(Duration.ofSeconds(5)));
            assertEquals(Protocol.E_UNAUTHORIZED, refused.code());
            assertTrue(refused.getMessage().contains("cannot prove it holds the key"), refused.getMessage());
        }
        assertTrue(requests(Protocol.OP_AUTH).isEmpty(), "no proof of ours was sent to it");
    }

    @Test
    void serverOfAnotherMajorVersionIsRefusedWithBothVersions() {
        String endpoint = peer(KEY, h -> reply("{\"v\":\"3.1\",\"ok\":true,\"nonce\":\"00\",\"proof\":\"00\"}"));
        try (BridgeConnection connection = new BridgeConnection(endpoint, 0, () -> null, null, KEY)) {
            BridgeException refused = assertThrows(BridgeException.class, () -> connection.hello(Duration.ofSeconds(5)));
            assertEquals(Protocol.E_VERSION, refused.code());
            assertTrue(refused.getMessage().contains("3.1") && refused.getMessage().contains(Protocol.VERSION),
                    refused.getMessage());
        }
    }

    @Test
    void lostReplyIsRecoveredByResendingTheSameRequestOnAFreshSocketInTheSameSession() {
        int[] pings = {0};
        String endpoint = peer(KEY, h -> {
            if (op(h).equals(Protocol.OP_PING)) {
                return pings[0]++ == 0 ? SILENT : reply(OK); // the first ping's reply is lost
            }
            return null;
        });
        try (BridgeConnection connection = new BridgeConnection(endpoint, 2, () -> null, null, KEY)) {
            connection.call(BridgeConnection.Reply.header(Protocol.OP_PING), Duration.ofMillis(300));
        }
        List<JsonObject> pingRequests = requests(Protocol.OP_PING);
        assertEquals(2, pingRequests.size());
        assertEquals(pingRequests.get(0).get("seq"), pingRequests.get(1).get("seq"), "a resend keeps its seq");
        assertEquals("s-1", pingRequests.get(1).get("session").getAsString());
        List<JsonObject> auths = requests(Protocol.OP_AUTH);
        assertTrue(auths.size() >= 2, "each fresh socket authenticates again");
        assertEquals("s-1", auths.get(auths.size() - 1).get("resume").getAsString(), "and resumes its session");
    }

    @Test
    void silentServerIsGivenUpAfterTheConfiguredTries() {
        String endpoint = peer(KEY, h -> op(h).equals(Protocol.OP_PING) ? SILENT : null);
        try (BridgeConnection connection = new BridgeConnection(endpoint, 2, () -> null, null, KEY)) {
            long start = System.nanoTime();
            BridgeLostException lost = assertThrows(BridgeLostException.class,
                    () -> connection.call(BridgeConnection.Reply.header(Protocol.OP_PING), Duration.ofMillis(200)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(lost.getMessage().contains("after 3 tries of 200 ms"), lost.getMessage());
            assertTrue(ms >= 600 && ms < 5000, "3 tries of 200 ms took " + ms + " ms");
        }
        // three pings, unless a fresh socket's handshake did not get through within a try's 200 ms
        long pings = requests(Protocol.OP_PING).size();
        assertTrue(pings >= 1 && pings <= 3, pings + " pings");
    }

    @Test
    void errorReplyBecomesABridgeExceptionWithItsCode() {
        String endpoint = peer(KEY, h -> op(h).equals(Protocol.OP_PING)
                ? reply("{\"v\":\"2.0\",\"ok\":false,\"error\":{\"code\":\"no_such_env\",\"message\":\"no environment 7\"}}")
                : null);
        try (BridgeConnection connection = new BridgeConnection(endpoint, 0, () -> null, null, KEY)) {
            BridgeException e = assertThrows(BridgeException.class,
                    () -> connection.call(BridgeConnection.Reply.header(Protocol.OP_PING), Duration.ofSeconds(5)));
            assertEquals("no_such_env", e.code());
            assertEquals("no environment 7", e.detail());
        }
    }

    /** A scripted one-dimensional environment: make, reset and step answered as {@code step} says. */
    private RemoteEnvironment environment(boolean pausable, Function<JsonObject, Object[]> step) {
        float[] bound = {1f};
        float[] zero = {0f};
        String endpoint = peer(KEY, h -> switch (op(h)) {
            case Protocol.OP_MAKE -> reply("{\"v\":\"2.0\",\"ok\":true,\"env\":3,\"pausable\":" + pausable
                    + ",\"spec\":{\"max_episode_steps\":0}}", new float[] {-1f}, bound, new float[] {-1f}, bound);
            case Protocol.OP_RESET -> reply("{\"v\":\"2.0\",\"ok\":true,\"info\":{}}", zero);
            case Protocol.OP_STEP -> step.apply(h);
            case Protocol.OP_PAUSE, Protocol.OP_CLOSE, Protocol.OP_PING -> reply(OK);
            default -> null;
        });
        BridgeSettings settings = new BridgeSettings(endpoint, null, Duration.ofSeconds(2), Duration.ofSeconds(5), 0, null)
                .withUserDirectory(TestPython.userDirectoryWithKey(KEY));
        Bridge bridge = Bridge.open(settings);
        return new RemoteEnvironment(bridge, "Scripted-v0", Map.of(), bridge::close);
    }

    private static Object[] stepped(String fields) {
        return reply("{\"v\":\"2.0\",\"ok\":true,\"terminated\":false,\"truncated\":false,\"info\":{}," + fields + "}",
                new float[] {0.5f});
    }

    @Test
    void pauseIsSentToAPausableEnvironmentOncePerPauseAndNeverToOthers() {
        try (RemoteEnvironment robot = environment(true, h -> stepped("\"reward\":1.0"))) {
            assertTrue(robot.pausable());
            robot.pause("update"); // no episode yet: nothing to hold
            robot.reset(1);
            robot.step(new float[] {0f});
            robot.pause("update");
            robot.pause("update");
            robot.step(new float[] {0f});
            robot.pause("evaluation");
        }
        List<JsonObject> pauses = requests(Protocol.OP_PAUSE);
        assertEquals(List.of("update", "evaluation"), pauses.stream().map(h -> h.get("reason").getAsString()).toList());
    }

    @Test
    void aSimulatorPausesWithoutARoundTrip() {
        try (RemoteEnvironment simulator = environment(false, h -> stepped("\"reward\":1.0"))) {
            simulator.reset(1);
            simulator.step(new float[] {0f});
            for (int i = 0; i < 10; i++) {
                simulator.pause("update");
                simulator.step(new float[] {0f});
            }
        }
        assertTrue(requests(Protocol.OP_PAUSE).isEmpty());
    }

    @Test
    void nonFiniteRewardsComeBackAsTheirDoubles() {
        String[] answers = {"\"reward\":null,\"reward_nonfinite\":\"-inf\"", "\"reward\":null,\"reward_nonfinite\":\"inf\"",
                "\"reward\":null,\"reward_nonfinite\":\"nan\"", "\"reward\":-0.25"};
        int[] next = {0};
        try (RemoteEnvironment env = environment(false, h -> stepped(answers[next[0]++]))) {
            env.reset(0);
            assertEquals(Double.NEGATIVE_INFINITY, env.step(new float[] {0f}).reward());
            assertEquals(Double.POSITIVE_INFINITY, env.step(new float[] {0f}).reward());
            assertTrue(Double.isNaN(env.step(new float[] {0f}).reward()));
            assertEquals(-0.25, env.step(new float[] {0f}).reward());
        }
    }

    @Test
    void emergencyStopEndsTheEpisodeMarkedAndResetsThrowUntilReleased() {
        String stopped = "{\"v\":\"2.0\",\"ok\":false,\"error\":{\"code\":\"emergency_stop\",\"message\":\"pressed\"}}";
        boolean[] pressed = {false};
        try (RemoteEnvironment robot = environment(true, h -> pressed[0] ? reply(stopped) : stepped("\"reward\":1.0"))) {
            robot.reset(0);
            assertFalse(robot.step(new float[] {0f}).done());
            pressed[0] = true;
            StepResult halted = robot.step(new float[] {0f});
            assertTrue(halted.truncated() && halted.interrupted() && halted.emergencyStop() && !halted.terminated());
            assertTrue(halted.interruptionReason().contains("emergency stop"), halted.interruptionReason());
        }
    }

    @Test
    void resetDuringAnEmergencyStopThrowsTheApiException() {
        float[] bound = {1f};
        String endpoint = peer(KEY, h -> switch (op(h)) {
            case Protocol.OP_MAKE -> reply("{\"v\":\"2.0\",\"ok\":true,\"env\":3,\"pausable\":true,"
                    + "\"spec\":{\"max_episode_steps\":0}}", new float[] {-1f}, bound, new float[] {-1f}, bound);
            case Protocol.OP_RESET -> reply("{\"v\":\"2.0\",\"ok\":false,\"error\":{\"code\":\"emergency_stop\","
                    + "\"message\":\"MujocoRobot is in emergency stop\"}}");
            case Protocol.OP_CLOSE, Protocol.OP_PING -> reply(OK);
            default -> null;
        });
        Bridge bridge = Bridge.open(new BridgeSettings(endpoint, null, Duration.ofSeconds(2), Duration.ofSeconds(5), 0,
                null).withUserDirectory(TestPython.userDirectoryWithKey(KEY)));
        try (RemoteEnvironment robot = new RemoteEnvironment(bridge, "Scripted-v0", Map.of(), bridge::close)) {
            EmergencyStopException held = assertThrows(EmergencyStopException.class, () -> robot.reset(0));
            assertTrue(held.getMessage().contains("emergency stop is pressed") && held.getMessage().contains("released"),
                    held.getMessage());
        }
    }

    @Test
    void anEnvironmentTheServerForgotEndsItsEpisodeSayingItWasLost() {
        try (RemoteEnvironment env = environment(false, h -> reply(
                "{\"v\":\"2.0\",\"ok\":false,\"error\":{\"code\":\"no_such_env\",\"message\":\"no environment 3\"}}"))) {
            env.reset(0);
            StepResult cut = env.step(new float[] {0f});
            assertTrue(cut.interrupted() && cut.truncated());
            assertNotNull(cut.interruptionReason());
            assertTrue(cut.interruptionReason().contains("episode in progress was lost"), cut.interruptionReason());
        }
    }
}
