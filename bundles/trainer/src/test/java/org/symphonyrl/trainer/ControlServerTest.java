package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ControlServerTest {

    private static final Gson GSON = new Gson();

    private static JsonObject ask(int port, String line) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
            out.write(line + "\n");
            out.flush();
            return GSON.fromJson(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine(), JsonObject.class);
        }
    }

    @Test
    void requestsWithTheTokenBecomeSwapRequestsAndOthersAreRefused(@TempDir Path dir) throws Exception {
        List<SwapRequest> received = new ArrayList<>();
        try (ControlServer server = new ControlServer(dir, r -> {
            received.add(r);
            if (r.bufferKind() != null) {
                r.result().complete("step 7: buffer fading -> " + r.bufferKind());
            } else {
                r.result().completeExceptionally(new IllegalArgumentException("no such jar: " + r.bundleJar()));
            }
        })) {
            JsonObject control = GSON.fromJson(Files.readString(dir.resolve(ControlServer.FILE)), JsonObject.class);
            int port = control.get("port").getAsInt();
            String token = control.get("token").getAsString();
            assertEquals(32, token.length());

            JsonObject refused = ask(port, "{\"token\": \"wrong\", \"buffer\": \"uniform\"}");
            assertFalse(refused.get("ok").getAsBoolean());
            assertTrue(refused.get("message").getAsString().startsWith("refused"));
            assertTrue(received.isEmpty(), "a refused request never reaches the run");

            JsonObject ok = ask(port, "{\"token\": \"" + token + "\", \"buffer\": \"uniform\"}");
            assertTrue(ok.get("ok").getAsBoolean());
            assertEquals("step 7: buffer fading -> uniform", ok.get("message").getAsString());

            JsonObject failed = ask(port, "{\"token\": \"" + token + "\", \"bundle\": \"/nowhere/x.jar\"}");
            assertFalse(failed.get("ok").getAsBoolean());
            assertEquals("swap failed: no such jar: /nowhere/x.jar", failed.get("message").getAsString());

            JsonObject garbage = ask(port, "not json");
            assertFalse(garbage.get("ok").getAsBoolean());
            assertEquals(2, received.size());
        }
        assertFalse(Files.exists(dir.resolve(ControlServer.FILE)), "control.json goes with the server");
    }
}
