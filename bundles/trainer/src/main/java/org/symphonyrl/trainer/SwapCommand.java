package org.symphonyrl.trainer;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code symphony swap RUN_DIR --buffer KIND | --bundle JAR}: asks a live run, through its control socket. */
@Component(service = Function.class, property = {
        "symphony.command=swap",
        "symphony.command.summary=Swap the replay buffer or the agent bundle of a live run: swap RUN_DIR --buffer KIND | --bundle JAR."})
public final class SwapCommand implements Function<String[], Integer> {

    private static final Gson GSON = new Gson();
    /** How long a swap keeps asking a run that answers "busy" (its connections are all taken). */
    static final long BUSY_SECONDS = 15;
    private final CommandSupport support = new CommandSupport();

    @Override
    public Integer apply(String[] args) {
        return support.execute("swap", new Options(), args);
    }

    static final class Target {
        @Option(names = "--buffer", paramLabel = "KIND", required = true, description = "Replay buffer kind to switch to (fading, uniform).")
        String buffer;

        @Option(names = "--bundle", paramLabel = "JAR", required = true, description = "Bundle jar to update the installed bundle of the same symbolic name from.")
        Path bundle;
    }

    @Command(name = "swap", mixinStandardHelpOptions = true,
            description = "Swaps, at the next step boundary of a live run, the replay buffer kind (its contents carried "
                    + "across) or a bundle (e.g. the agent's, its state carried across). The run continues at the same "
                    + "step.")
    static final class Options implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "The directory of a running 'train' or 'resume'.")
        String runDir;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Path dir = RunDirectory.existing(runDir);
            Path control = dir.resolve(ControlServer.FILE);
            if (!Files.isRegularFile(control)) {
                throw new IllegalArgumentException("no live run in " + dir + " (no " + ControlServer.FILE
                        + "): start it with resume first");
            }
            JsonObject c;
            try {
                PrivateFiles.checkSecret(control, "control file");
                c = GSON.fromJson(Files.readString(control), JsonObject.class);
                c.get("port").getAsInt();
                c.get("token").getAsString();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(e instanceof PrivateFiles.UntrustedFileException ? e.getMessage()
                        : control + " is not a control file of a live run: " + e.getMessage(), e);
            }
            JsonObject request = new JsonObject();
            request.addProperty("token", c.get("token").getAsString());
            if (target.buffer != null) {
                request.addProperty("buffer", target.buffer);
            } else {
                Path jar = CommandSupport.workingDirectory().resolve(target.bundle).normalize();
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("no such jar: " + jar);
                }
                HotSwap.symbolicName(jar); // a file that is not a bundle jar is refused here, with exit code 2
                request.addProperty("bundle", jar.toString());
            }
            JsonObject reply = ask(dir, c.get("port").getAsInt(), GSON.toJson(request));
            boolean ok = reply.get("ok").getAsBoolean();
            (ok ? System.out : System.err).println((ok ? "" : "symphony swap: ") + reply.get("message").getAsString());
            String code = reply.has("code") ? reply.get("code").getAsString() : "failed";
            return ok ? 0 : code.equals("bad_request") ? CommandSupport.EXIT_USAGE : CommandSupport.EXIT_FAILED;
        }

        /** Sends the request; a run that is busy with other connections is asked again for up to {@value #BUSY_SECONDS} s. */
        private static JsonObject ask(Path dir, int port, String request) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + BUSY_SECONDS * 1_000_000_000L;
            while (true) {
                JsonObject reply;
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                    socket.setSoTimeout((int) (ControlServer.REPLY_TIMEOUT_SECONDS + 10) * 1000);
                    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                    out.write(request + "\n");
                    out.flush();
                    String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.UTF_8)).readLine();
                    if (line == null) {
                        throw new IOException("the run closed the connection without an answer");
                    }
                    reply = GSON.fromJson(line, JsonObject.class);
                } catch (ConnectException e) {
                    throw new IllegalArgumentException("the run in " + dir + " is not running (" + ControlServer.FILE
                            + " is stale: nothing listens on port " + port + ")", e);
                }
                if (!reply.has("code") || !reply.get("code").getAsString().equals("busy") || System.nanoTime() > deadline) {
                    return reply;
                }
                Thread.sleep(200);
            }
        }
    }
}
