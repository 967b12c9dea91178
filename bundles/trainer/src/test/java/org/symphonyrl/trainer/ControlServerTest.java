package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ControlServerTest {

    private static final Gson GSON = new Gson();

    private static JsonObject ask(int port, String line) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
            out.write(line + "\n");
            out.flush();
            return read(s);
        }
    }

    private static JsonObject read(Socket s) throws IOException {
        return GSON.fromJson(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                .readLine(), JsonObject.class);
    }

    /** The port of a serving control socket and a legitimate request for it, from its control.json. */
    private record Client(int port, String token, String swap) {
        static Client of(Path dir) throws IOException {
            JsonObject control = GSON.fromJson(Files.readString(dir.resolve(ControlServer.FILE)), JsonObject.class);
            String token = control.get("token").getAsString();
            return new Client(control.get("port").getAsInt(), token,
                    "{\"token\": \"" + token + "\", \"buffer\": \"uniform\"}");
        }
    }

    private static ControlServer serving(Path dir, List<SwapRequest> received) throws IOException {
        ControlServer server = new ControlServer(dir);
        server.serve(r -> {
            received.add(r);
            if (r.bufferKind() != null) {
                r.result().complete("step 7: buffer fading -> " + r.bufferKind());
            } else {
                r.result().completeExceptionally(new IllegalArgumentException("no such jar: " + r.bundleJar()));
            }
        });
        return server;
    }

    @Test
    void requestsWithTheTokenBecomeSwapRequestsAndOthersAreRefused(@TempDir Path dir) throws Exception {
        List<SwapRequest> received = new CopyOnWriteArrayList<>();
        ControlServer bound = new ControlServer(dir);
        assertFalse(Files.exists(dir.resolve(ControlServer.FILE)), "nothing is written before the run serves");
        bound.close();
        try (ControlServer server = serving(dir, received)) {
            Path file = dir.resolve(ControlServer.FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            Client client = Client.of(dir);
            int port = client.port();
            String token = client.token();
            assertEquals(32, token.length());

            JsonObject refused = ask(port, "{\"token\": \"wrong\", \"buffer\": \"uniform\"}");
            assertFalse(refused.get("ok").getAsBoolean());
            assertEquals("refused", refused.get("code").getAsString());
            assertTrue(refused.get("message").getAsString().startsWith("refused"));
            assertTrue(received.isEmpty(), "a refused request never reaches the run");

            JsonObject ok = ask(port, "{\"token\": \"" + token + "\", \"buffer\": \"uniform\"}");
            assertTrue(ok.get("ok").getAsBoolean());
            assertEquals("step 7: buffer fading -> uniform", ok.get("message").getAsString());

            JsonObject failed = ask(port, "{\"token\": \"" + token + "\", \"bundle\": \"/nowhere/x.jar\"}");
            assertFalse(failed.get("ok").getAsBoolean());
            assertEquals("bad_request", failed.get("code").getAsString());
            assertEquals("swap failed: no such jar: /nowhere/x.jar", failed.get("message").getAsString());

            JsonObject garbage = ask(port, "not json");
            assertFalse(garbage.get("ok").getAsBoolean());
            assertEquals(2, received.size());
        }
        assertFalse(Files.exists(dir.resolve(ControlServer.FILE)), "control.json goes with the server");
    }

    /**
     * Issue 11, finding 7: one huge line, a client trickling a byte a second and idle connections, all at once,
     * neither stop the socket nor delay a legitimate swap asked on another connection (bound: 1 s; measured
     * figures are printed), and each of them is answered and dropped within the request deadline.
     */
    @Test
    void abusiveClientsNeitherStopNorDelayALegitimateSwap(@TempDir Path dir) throws Exception {
        List<SwapRequest> received = new CopyOnWriteArrayList<>();
        try (ControlServer server = serving(dir, received)) {
            Client client = Client.of(dir);
            int port = client.port();
            String swap = client.swap();

            Socket huge = new Socket(InetAddress.getLoopbackAddress(), port);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[1 << 16];
                java.util.Arrays.fill(chunk, (byte) 'x');
                try {
                    OutputStream out = huge.getOutputStream();
                    for (int i = 0; i < 32_768; i++) { // up to 2 GiB, no newline: the server must stop reading
                        out.write(chunk);
                    }
                } catch (IOException closedByServer) {
                    // expected: the server refused the line and closed the connection
                }
            });
            Socket trickle = new Socket(InetAddress.getLoopbackAddress(), port);
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        trickle.getOutputStream().write('{');
                        trickle.getOutputStream().flush();
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException closedByServer) {
                    // expected after the deadline
                }
            });
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            Thread.sleep(1500); // every abusive connection is being served (or ignored) now

            long t0 = System.nanoTime();
            JsonObject ok = ask(port, swap);
            double millis = (System.nanoTime() - t0) / 1e6;
            assertTrue(ok.get("ok").getAsBoolean(), ok.toString());
            System.out.printf("legitimate swap answered in %.1f ms beside a 2 GiB line, a trickler and 5 idle"
                    + " connections%n", millis);
            assertTrue(millis < 1000, "the swap waited " + millis + " ms for other connections");

            JsonObject tooLong = read(huge);
            assertEquals("bad_request", tooLong.get("code").getAsString());
            assertEquals("request line longer than 65536 bytes; refused", tooLong.get("message").getAsString());
            long t1 = System.nanoTime();
            JsonObject late = read(trickle);
            assertEquals("timeout", late.get("code").getAsString(), late.toString());
            assertTrue((System.nanoTime() - t1) / 1e9 < ControlServer.REQUEST_MILLIS / 1000.0 + 1);
            for (Socket s : idle) {
                assertEquals("timeout", read(s).get("code").getAsString());
                s.close();
            }
            flood.join();
            trickling.join();
            huge.close();
            trickle.close();
            assertTrue(ask(port, swap).get("ok").getAsBoolean(), "the socket still serves");
            assertEquals(2, received.size(), "only the legitimate requests reached the run");
        }
    }

    @Test
    void moreConnectionsThanThreadsAreAnsweredBusyAtOnceNotQueued(@TempDir Path dir) throws Exception {
        List<SwapRequest> received = new CopyOnWriteArrayList<>();
        try (ControlServer server = serving(dir, received)) {
            Client client = Client.of(dir);
            int port = client.port();
            String swap = client.swap();
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < ControlServer.MAX_CONNECTIONS; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            Thread.sleep(500);
            long t0 = System.nanoTime();
            JsonObject busy = ask(port, swap);
            assertEquals("busy", busy.get("code").getAsString(), busy.toString());
            assertTrue((System.nanoTime() - t0) / 1e6 < 1000, "a full server answers at once");
            for (Socket s : idle) {
                s.close(); // the clients go away: their threads are free again
            }
            Thread.sleep(500);
            assertTrue(ask(port, swap).get("ok").getAsBoolean());
        }
    }
}
