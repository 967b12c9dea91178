package org.symphonyrl.env.zmq;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bridge server started by a test, as a user starts one by hand ({@code python -I -m symphony_bridge serve}),
 * with a key the test knows, so raw clients can authenticate against it.
 */
final class PythonServer implements AutoCloseable {

    final Process process;
    final String endpoint;
    final byte[] key;

    private PythonServer(Process process, String endpoint, byte[] key) {
        this.process = process;
        this.endpoint = endpoint;
        this.key = key;
    }

    /** A server with a fresh key on a free loopback port; {@code more} are further serve options. */
    static PythonServer start(String... more) throws IOException {
        byte[] key = Handshake.newKey();
        List<String> command = new ArrayList<>(List.of(TestPython.python().toString(), "-I", "-m", "symphony_bridge",
                "serve", "--bind", "tcp://127.0.0.1:0", "--exit-with-parent", "--key-stdin"));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream stdin = process.getOutputStream();
        stdin.write((Handshake.hex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
        String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (ready == null || !ready.startsWith(Protocol.READY + " ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the test's bridge server did not start: " + ready);
        }
        return new PythonServer(process, ready.substring(Protocol.READY.length() + 1).trim(), key);
    }

    BridgeConnection connect() {
        return new BridgeConnection(endpoint, 0, () -> null, null, key);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
