package org.symphonyrl.trainer;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The control socket of a live run: TCP on the loopback address only, on a free port written with a
 * random token to {@code RUN_DIR/control.json} (removed when the run ends). One request per connection,
 * one JSON line each way:
 * <pre>
 * → {"token": "…", "buffer": "uniform"}        or  {"token": "…", "bundle": "/abs/path/agent.jar"}
 * ← {"ok": true, "message": "step 1234: buffer fading -> uniform with 3000 transitions"}
 * </pre>
 * The token keeps other local users' processes, which can reach the loopback port but not the run
 * directory, from steering the run.
 */
final class ControlServer implements AutoCloseable {

    static final String FILE = "control.json";
    /** The longest a client waits for the swap to be carried out (a big buffer takes a while to copy). */
    static final long REPLY_TIMEOUT_SECONDS = 600;
    private static final Gson GSON = new Gson();

    private final ServerSocket server;
    private final Path file;
    private final String token;
    private final Consumer<SwapRequest> swaps;
    private final Thread thread;

    ControlServer(Path runDir, Consumer<SwapRequest> swaps) throws IOException {
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.file = runDir.resolve(FILE);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        this.swaps = swaps;
        JsonObject o = new JsonObject();
        o.addProperty("port", server.getLocalPort());
        o.addProperty("token", token);
        o.addProperty("pid", ProcessHandle.current().pid());
        Path temp = runDir.resolve(FILE + ".tmp");
        Files.writeString(temp, GSON.toJson(o) + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        thread = new Thread(this::serve, "symphony-control");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                JsonObject reply = answer(in.readLine());
                out.write(GSON.toJson(reply) + "\n");
                out.flush();
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad client does not stop the server
            }
        }
    }

    private JsonObject answer(String line) {
        JsonObject reply = new JsonObject();
        try {
            JsonObject request = line == null ? null : GSON.fromJson(line, JsonObject.class);
            if (request == null || !request.has("token") || !token.equals(request.get("token").getAsString())) {
                return fail(reply, "refused: missing or wrong token (read it from " + FILE + ")");
            }
            SwapRequest swap;
            if (request.has("buffer")) {
                swap = SwapRequest.buffer(request.get("buffer").getAsString());
            } else if (request.has("bundle")) {
                swap = SwapRequest.bundle(Path.of(request.get("bundle").getAsString()));
            } else {
                return fail(reply, "a request names \"buffer\" or \"bundle\"");
            }
            swaps.accept(swap);
            reply.addProperty("ok", true);
            reply.addProperty("message", swap.result().get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return reply;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return fail(reply, "not a valid request: " + e.getMessage());
        } catch (ExecutionException e) {
            return fail(reply, "swap failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return fail(reply, "the run did not carry out the swap within " + REPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(reply, "interrupted");
        }
    }

    private static JsonObject fail(JsonObject reply, String message) {
        reply.addProperty("ok", false);
        reply.addProperty("message", message);
        return reply;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(file);
    }
}
