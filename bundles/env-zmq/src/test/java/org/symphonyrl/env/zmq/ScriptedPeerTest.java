package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The client's side of the protocol against a peer that misbehaves on purpose (a JeroMQ ROUTER in the test
 * answering by a script): another protocol version, lost replies, silence.
 */
class ScriptedPeerTest {

    private final ZContext context = new ZContext(1);
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private Thread peer;
    private volatile boolean running = true;

    /** Starts a peer; {@code script} maps each request header to a reply header, or null to stay silent. */
    private String peer(Function<JsonObject, String> script) {
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
                String reply = script.apply(header);
                if (reply != null) {
                    ZMsg answer = new ZMsg();
                    answer.add(identity);
                    answer.add(new byte[0]);
                    answer.add(reply.getBytes(StandardCharsets.UTF_8));
                    answer.send(socket);
                }
            }
        });
        peer.start();
        return "tcp://127.0.0.1:" + port;
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

    @Test
    void serverOfAnotherMajorVersionIsRefusedWithBothVersions() {
        String endpoint = peer(h -> "{\"v\":\"2.3\",\"ok\":true,\"pid\":1}");
        try (BridgeConnection connection = new BridgeConnection(endpoint, 0, () -> true, null)) {
            BridgeException refused = assertThrows(BridgeException.class, () -> connection.hello(Duration.ofSeconds(5)));
            assertEquals(Protocol.E_VERSION, refused.code());
            assertTrue(refused.getMessage().contains("2.3") && refused.getMessage().contains(Protocol.VERSION),
                    refused.getMessage());
        }
    }

    @Test
    void lostReplyIsRecoveredByResendingTheSameRequestOnAFreshSocket() {
        int[] pings = {0};
        String endpoint = peer(h -> {
            if (op(h).equals(Protocol.OP_PING) && pings[0]++ == 0) {
                return null; // the first ping's reply is lost
            }
            return "{\"v\":\"1.0\",\"ok\":true}";
        });
        try (BridgeConnection connection = new BridgeConnection(endpoint, 2, () -> true, null)) {
            connection.call(BridgeConnection.Reply.header(Protocol.OP_PING), Duration.ofMillis(300));
        }
        List<JsonObject> pingRequests = received.stream().filter(h -> op(h).equals(Protocol.OP_PING)).toList();
        assertEquals(2, pingRequests.size());
        assertEquals(pingRequests.get(0).get("seq"), pingRequests.get(1).get("seq"), "a resend keeps its seq");
        assertEquals(pingRequests.get(0).get("session"), pingRequests.get(1).get("session"));
        assertTrue(received.stream().filter(h -> op(h).equals(Protocol.OP_HELLO)).count() >= 2,
                "each fresh socket shakes hands again");
    }

    @Test
    void silentServerIsGivenUpAfterTheConfiguredTries() {
        String endpoint = peer(h -> op(h).equals(Protocol.OP_HELLO) ? "{\"v\":\"1.0\",\"ok\":true}" : null);
        try (BridgeConnection connection = new BridgeConnection(endpoint, 2, () -> true, null)) {
            long start = System.nanoTime();
            BridgeLostException lost = assertThrows(BridgeLostException.class,
                    () -> connection.call(BridgeConnection.Reply.header(Protocol.OP_PING), Duration.ofMillis(200)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(lost.getMessage().contains("after 3 tries of 200 ms"), lost.getMessage());
            assertTrue(ms >= 600 && ms < 5000, "3 tries of 200 ms took " + ms + " ms");
        }
        // three pings, unless a fresh socket's handshake did not get through within a try's 200 ms
        long pings = received.stream().filter(h -> op(h).equals(Protocol.OP_PING)).count();
        assertTrue(pings >= 1 && pings <= 3, pings + " pings");
    }

    @Test
    void errorReplyBecomesABridgeExceptionWithItsCode() {
        String endpoint = peer(h -> op(h).equals(Protocol.OP_HELLO) ? "{\"v\":\"1.0\",\"ok\":true}"
                : "{\"v\":\"1.0\",\"ok\":false,\"error\":{\"code\":\"no_such_env\",\"message\":\"no environment 7\"}}");
        try (BridgeConnection connection = new BridgeConnection(endpoint, 0, () -> true, null)) {
            BridgeException e = assertThrows(BridgeException.class,
                    () -> connection.call(BridgeConnection.Reply.header(Protocol.OP_PING), Duration.ofSeconds(5)));
            assertEquals("no_such_env", e.code());
            assertEquals("no environment 7", e.detail());
        }
    }
}
