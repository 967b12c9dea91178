package org.symphonyrl.trainer;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The control socket of a live run: TCP on the loopback address only, on a free port written with a
 * random token to {@code RUN_DIR/control.json} (0600, removed when the run ends). One request per
 * connection, one JSON line each way:
 * <pre>
 * → {"token": "…", "buffer": "uniform"}        or  {"token": "…", "bundle": "/abs/path/agent.jar"}
 * ← {"ok": true, "code": "ok", "message": "step 1234: buffer fading -> uniform with 3000 transitions"}
 * </pre>
 * {@code code} is {@code ok}, {@code bad_request} (a request the run cannot carry out as asked: an unknown
 * buffer kind, a file that is not a bundle), {@code refused} (no or a wrong token), {@code failed},
 * {@code busy} or {@code timeout}.
 *
 * <p>The token keeps other local users' processes, which can reach the loopback port but not the run
 * directory, from steering the run. They can still connect, so no client can hurt another: each connection
 * is served on its own thread (at most {@value #MAX_CONNECTIONS} at once; beyond that a connection is
 * answered {@code busy} at once), a request line longer than {@value #MAX_LINE_BYTES} bytes is refused
 * without being stored, and the whole line must arrive within {@value #REQUEST_MILLIS} ms, so an idle or
 * trickling client holds one thread for at most that long and never delays a swap asked on another
 * connection.
 */
final class ControlServer implements AutoCloseable {

    static final String FILE = "control.json";
    /** The longest a client waits for the swap to be carried out (a big buffer takes a while to copy). */
    static final long REPLY_TIMEOUT_SECONDS = 600;
    static final int MAX_LINE_BYTES = 64 * 1024;
    static final int REQUEST_MILLIS = 5_000;
    static final int MAX_CONNECTIONS = 32;
    private static final Gson GSON = new Gson();

    private final ServerSocket server;
    private final Path file;
    private final byte[] token;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final ExecutorService workers;
    private Consumer<SwapRequest> swaps;
    private boolean published;

    /** Binds the socket; nothing is written and nothing served until {@link #serve}. */
    ControlServer(Path runDir) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.file = runDir.resolve(FILE);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret).getBytes(StandardCharsets.US_ASCII);
        this.workers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "symphony-control-connection");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes control.json and starts accepting requests, which go to {@code swaps}. */
    void serve(Consumer<SwapRequest> swaps) throws IOException {
        this.swaps = swaps;
        JsonObject o = new JsonObject();
        o.addProperty("port", server.getLocalPort());
        o.addProperty("token", new String(token, StandardCharsets.US_ASCII));
        o.addProperty("pid", ProcessHandle.current().pid());
        PrivateFiles.writeAtomically(file, (GSON.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8));
        published = true;
        Thread acceptor = new Thread(this::accept, "symphony-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException closed) {
                if (server.isClosed()) {
                    return;
                }
                continue; // e.g. too many open files for a moment: keep serving
            }
            if (!slots.tryAcquire()) {
                reply(socket, fail("busy", "the run is serving " + MAX_CONNECTIONS + " connections; try again"));
                continue;
            }
            try {
                workers.execute(() -> {
                    try {
                        handle(socket);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException rejected) {
                slots.release();
                reply(socket, fail("busy", "the run cannot serve another connection now; try again"));
            }
        }
    }

    /** One connection: one line in, one line out; whatever the client does, only this connection suffers. */
    private void handle(Socket socket) {
        JsonObject reply;
        try {
            reply = answer(readLine(socket));
        } catch (LineTooLong e) {
            reply = fail("bad_request", "request line longer than " + MAX_LINE_BYTES + " bytes; refused");
        } catch (SocketTimeoutException e) {
            reply = fail("timeout", "no complete request line within " + REQUEST_MILLIS + " ms");
        } catch (IOException | RuntimeException e) {
            reply = fail("bad_request", "unreadable request: " + e.getMessage());
        }
        reply(socket, reply);
    }

    /** Reads one line of at most {@value #MAX_LINE_BYTES} bytes that must be complete within {@value #REQUEST_MILLIS} ms. */
    private static String readLine(Socket socket) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_MILLIS);
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            socket.setSoTimeout((int) left);
            int b = in.read();
            if (b < 0 || b == '\n') {
                return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new LineTooLong();
            }
            line.write(b);
        }
    }

    private JsonObject answer(String line) {
        try {
            JsonObject request = line == null ? null : GSON.fromJson(line, JsonObject.class);
            if (request == null || !request.has("token") || !request.get("token").isJsonPrimitive()
                    || !MessageDigest.isEqual(token, request.get("token").getAsString().getBytes(StandardCharsets.UTF_8))) {
                return fail("refused", "refused: missing or wrong token (read it from " + FILE + ")");
            }
            SwapRequest swap;
            if (request.has("buffer")) {
                swap = SwapRequest.buffer(request.get("buffer").getAsString());
            } else if (request.has("bundle")) {
                swap = SwapRequest.bundle(Path.of(request.get("bundle").getAsString()));
            } else {
                return fail("bad_request", "a request names \"buffer\" or \"bundle\"");
            }
            swaps.accept(swap);
            JsonObject reply = new JsonObject();
            reply.addProperty("ok", true);
            reply.addProperty("code", "ok");
            reply.addProperty("message", swap.result().get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return reply;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                 | java.nio.file.InvalidPathException e) {
            return fail("bad_request", "not a valid request: " + e.getMessage());
        } catch (ExecutionException e) {
            return fail(e.getCause() instanceof IllegalArgumentException ? "bad_request" : "failed",
                    "swap failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return fail("failed", "the run did not carry out the swap within " + REPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("failed", "interrupted");
        }
    }

    private static JsonObject fail(String code, String message) {
        JsonObject reply = new JsonObject();
        reply.addProperty("ok", false);
        reply.addProperty("code", code);
        reply.addProperty("message", message);
        return reply;
    }

    /** Sends the reply line and closes the connection; a client that went away costs nothing. */
    private static void reply(Socket socket, JsonObject reply) {
        try (socket) {
            socket.setSoTimeout(REQUEST_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write((GSON.toJson(reply) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the client is gone or does not read: its loss
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdownNow();
        if (published) {
            Files.deleteIfExists(file);
        }
    }

    private static final class LineTooLong extends IOException {
        LineTooLong() {
            super("line too long");
        }
    }
}
