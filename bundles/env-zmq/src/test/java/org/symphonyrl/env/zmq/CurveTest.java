package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.symphonyrl.api.Environment;
import org.zeromq.ZMQ;

/** Loopback by default; CURVE when the endpoint is not loopback (here a CURVE server on loopback, so no test opens a port to the network). */
class CurveTest {

    private static PythonServer server;
    private static String endpoint;
    private static String serverKey;
    private static Path userDirectory;

    @BeforeAll
    static void startCurveServer() throws Exception {
        Path keys = Files.createTempFile("bridge", ".keys");
        Process keygen = new ProcessBuilder(TestPython.python().toString(), "-m", "symphony_bridge", "keygen", keys.toString())
                .start();
        serverKey = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, keygen.waitFor());
        server = PythonServer.start("--curve-keys", keys.toString());
        endpoint = server.endpoint;
        userDirectory = TestPython.userDirectoryWithKey(server.key);
        Files.delete(keys);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static BridgeSettings settings(String endpoint, String key) {
        return new BridgeSettings(endpoint, null, Duration.ofMillis(600), Duration.ofSeconds(30), 0, key)
                .withUserDirectory(userDirectory);
    }

    @Test
    void clientWithTheServersKeyIsServedEncrypted() {
        try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(settings(endpoint, serverKey));
             Environment env = factory.create("InvertedPendulum-v5", Map.of())) {
            assertEquals(4, env.reset(0).length);
            assertEquals(4, env.step(new float[1]).observation().length);
        }
    }

    @Test
    void clientWithoutOrWithAWrongKeyGetsNoAnswer() {
        BridgeSettings plain = new BridgeSettings(endpoint, null, Duration.ofMillis(600), Duration.ofMillis(1500), 0, null)
                .withUserDirectory(userDirectory);
        assertThrows(BridgeLostException.class, () -> Bridge.open(plain));
        String stranger = ZMQ.Curve.generateKeyPair().publicKey;
        assertThrows(BridgeLostException.class, () -> Bridge.open(settings(endpoint, stranger).withTimeouts(
                Duration.ofMillis(600), Duration.ofMillis(1500), 0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://0.0.0.0:5555", "tcp://192.0.2.7:5555", "tcp://robot.example.org:5555", "tcp://*:5555"})
    void nonLoopbackEndpointWithoutKeyIsRefusedBeforeConnecting(String remote) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Bridge.open(settings(remote, null)));
        assertTrue(refused.getMessage().contains("not a loopback address") && refused.getMessage().contains("CURVE"),
                refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:5555", "tcp://127.3.2.1:1", "tcp://localhost:5555", "tcp://[::1]:5555",
            "ipc:///tmp/bridge", "inproc://bridge"})
    void loopbackEndpointsNeedNoKey(String local) {
        assertTrue(Endpoints.isLoopback(local), local);
    }

    @Test
    void malformedServerKeyIsRefused() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Bridge.open(settings("tcp://192.0.2.7:5555", "short")));
        assertTrue(bad.getMessage().contains("40 Z85 characters"), bad.getMessage());
    }
}
