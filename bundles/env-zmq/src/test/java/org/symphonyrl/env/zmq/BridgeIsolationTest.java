package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;
import org.symphonyrl.api.StepResult;

/**
 * The bridge server the runtime starts answers only that runtime (a fresh key, passed on stdin), runs isolated
 * from the working directory, and logs owner-only in the run directory or the per-user directory, not in /tmp.
 */
class BridgeIsolationTest {

    private static final Pattern KEY_LIKE = Pattern.compile("[0-9a-fA-F]{64}");

    private static String planted(Path marker) {
        return "open(" + "'" + marker + "', 'w').write('planted code ran')\nraise SystemExit(3)\n";
    }

    @Test
    void aModulePlantedInTheWorkingDirectoryOrTheRunDirectoryIsNotImported() throws Exception {
        Path marker = Files.createTempDirectory("marker").resolve("planted-code-ran");
        Path runDirectory = Files.createTempDirectory("run");
        Files.writeString(runDirectory.resolve("zmq.py"), planted(marker));
        Path workingDirectory = Path.of("").toAbsolutePath().resolve("zmq.py"); // where the runtime was started
        Files.writeString(workingDirectory, planted(marker));
        try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(TestPython.ownServer());
             Environment env = factory.create("InvertedPendulum-v5",
                     Map.of(EnvironmentFactory.OPTION_RUN_DIRECTORY, runDirectory.toString()))) {
            assertEquals(4, env.reset(0).length);
            assertFalse(Files.exists(marker), "the planted zmq.py ran in the bridge");
            long pid = factory.bridge().serverPid();
            assertEquals(runDirectory.toRealPath(), Path.of("/proc/" + pid + "/cwd").toRealPath(),
                    "the server runs in the run directory");
        } finally {
            Files.delete(workingDirectory);
        }
    }

    @Test
    void theServerLogsOwnerOnlyInTheRunDirectoryAndKeepsTheLogsOfAKilledServer() throws Exception {
        Path runDirectory = Files.createTempDirectory("run");
        try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(TestPython.ownServer()
                .withTimeouts(Duration.ofMillis(400), Duration.ofSeconds(120), 1))) {
            Environment env = factory.create("InvertedPendulum-v5",
                    Map.of(EnvironmentFactory.OPTION_RUN_DIRECTORY, runDirectory.toString()));
            Path logs = runDirectory.resolve("logs");
            Path first = logs.resolve("bridge-1.log");
            assertEquals(first, factory.bridge().serverLog());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
            assertTrue(Files.readString(first).contains("serving on"), "the server writes its log there");
            env.reset(0);
            BridgeCrashTest.signal("KILL", factory.bridge().serverPid());
            StepResult cut = env.step(new float[1]);
            assertTrue(cut.interrupted() && cut.interruptionReason().contains("bridge-1.log"), cut.interruptionReason());
            assertEquals(logs.resolve("bridge-2.log"), factory.bridge().serverLog(), "the new server logs next to it");
            assertTrue(Files.exists(first), "the killed server's log is kept");
            env.close();
        }
        assertEquals(List.of("bridge-1.log", "bridge-2.log"), names(runDirectory.resolve("logs")),
                "a run keeps its logs, also the clean one");
    }

    @Test
    void withoutARunDirectoryTheLogGoesToThePerUserDirectoryAndACleanStopRemovesIt() throws Exception {
        BridgeSettings settings = TestPython.ownServer();
        Path logs = settings.userDirectory().root().resolve("logs");
        try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(settings);
             Environment env = factory.create("InvertedPendulum-v5", Map.of())) {
            assertEquals(4, env.reset(0).length);
            assertEquals(logs.resolve("bridge-1.log"), factory.bridge().serverLog());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    settings.userDirectory().root())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    logs.resolve("bridge-1.log"))));
        }
        assertEquals(List.of(), names(logs), "a clean stop's log does not pile up");
    }

    @Test
    void theKeyIsNeitherOnTheCommandLineNorInTheEnvironmentAndStrangersAreRefused() throws Exception {
        try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(TestPython.ownServer());
             Environment env = factory.create("InvertedPendulum-v5", Map.of())) {
            env.reset(0);
            long pid = factory.bridge().serverPid();
            String commandLine = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.ISO_8859_1);
            assertTrue(commandLine.contains("-I\0") && commandLine.contains("--key-stdin"), commandLine);
            assertFalse(KEY_LIKE.matcher(commandLine).find(), commandLine);
            assertFalse(KEY_LIKE.matcher(Files.readString(Path.of("/proc/" + pid + "/environ"),
                    StandardCharsets.ISO_8859_1)).find(), "no key in the server's environment");

            String endpoint = factory.bridge().endpoint();
            try (RawClient stranger = new RawClient(endpoint, null)) {
                JsonObject ping = stranger.request("{\"v\":\"2.0\",\"op\":\"ping\",\"session\":\"" + "0".repeat(32) + "\"}");
                assertEquals(Protocol.E_UNAUTHORIZED, ping.getAsJsonObject("error").get("code").getAsString());
            }
            // a client holding another key (the per-user one, say) cannot authenticate with the runtime's own server
            BridgeSettings other = new BridgeSettings(endpoint, null, Duration.ofSeconds(2), Duration.ofSeconds(2), 0, null)
                    .withUserDirectory(TestPython.userDirectory());
            BridgeException refused = org.junit.jupiter.api.Assertions.assertThrows(BridgeException.class,
                    () -> Bridge.open(other));
            assertEquals(Protocol.E_UNAUTHORIZED, refused.code());
            assertFalse(env.step(new float[1]).interrupted(), "the runtime's own session is untouched");
        }
    }

    @Test
    void eachServerTheRuntimeStartsHasItsOwnKey() throws Exception {
        try (GymnasiumEnvironmentFactory one = new GymnasiumEnvironmentFactory(TestPython.ownServer());
             GymnasiumEnvironmentFactory two = new GymnasiumEnvironmentFactory(TestPython.ownServer())) {
            one.create("InvertedPendulum-v5", Map.of()).reset(0);
            two.create("InvertedPendulum-v5", Map.of()).reset(0);
            assertNotEquals(one.bridge().endpoint(), two.bridge().endpoint());
            // a client with any key but server two's (here: a random one) is refused by server two
            BridgeSettings aimed = new BridgeSettings(two.bridge().endpoint(), null, Duration.ofSeconds(2),
                    Duration.ofSeconds(2), 0, null).withUserDirectory(TestPython.userDirectoryWithKey(Handshake.newKey()));
            BridgeException refused = org.junit.jupiter.api.Assertions.assertThrows(BridgeException.class,
                    () -> Bridge.open(aimed));
            assertTrue(refused.getMessage().contains("cannot prove it holds the key"), refused.getMessage());
        }
    }

    @Test
    void aServerStartedByHandProvesThePerUserKeyTheRuntimeCreated() throws Exception {
        Path user = TestPython.userDirectory();
        byte[] key = new UserDirectory(user).secret(); // the runtime is first: it creates the key
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(user.resolve("secret"))));
        assertEquals(key.length, Handshake.KEY_BYTES);
        ProcessBuilder builder = new ProcessBuilder(TestPython.python().toString(), "-I", "-m", "symphony_bridge", "serve",
                "--bind", "tcp://127.0.0.1:0", "--exit-with-parent").redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(UserDirectory.VARIABLE, user.toString());
        Process server = builder.start();
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            String endpoint = ready.substring(Protocol.READY.length() + 1).trim();
            BridgeSettings settings = new BridgeSettings(endpoint, null, Duration.ofSeconds(10), Duration.ofSeconds(60),
                    1, null).withUserDirectory(user);
            try (GymnasiumEnvironmentFactory factory = new GymnasiumEnvironmentFactory(settings);
                 Environment env = factory.create("InvertedPendulum-v5", Map.of())) {
                assertEquals(4, env.reset(0).length);
                assertFalse(factory.bridge().ownsServer());
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
