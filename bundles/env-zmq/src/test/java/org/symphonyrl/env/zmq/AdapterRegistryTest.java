package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.symphonyrl.api.EnvironmentFactory;

/**
 * The file-based registry in a real Felix against announce files written by hand: what it refuses (with one console
 * line each), and that a dead endpoint does not hold up a good adapter. Refusals fail on the old code, whose
 * registry believed any announce on its TCP port.
 */
class AdapterRegistryTest {

    private static final int OTHER_UID = 54321; // the tests run as root: chown shows another user's file
    private static final List<String> console = new CopyOnWriteArrayList<>();
    private static PrintStream originalErr;
    private static Path userDirectory;
    private static Path adapters;
    private static TestFramework framework;

    @BeforeAll
    static void start() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new LineTee(originalErr), true, StandardCharsets.UTF_8));
        userDirectory = TestPython.userDirectory();
        adapters = new UserDirectory(userDirectory).adapters();
        framework = new TestFramework(FrameworkServicesTest.properties(userDirectory));
    }

    @AfterAll
    static void stop() throws Exception {
        framework.close();
        System.setErr(originalErr);
    }

    /** Collects what is printed on System.err, line by line, and passes it on. */
    private static final class LineTee extends OutputStream {
        private final PrintStream through;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineTee(PrintStream through) {
            this.through = through;
        }

        @Override
        public synchronized void write(int b) {
            through.write(b);
            if (b == '\n') {
                console.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private static String announce(String id, String endpoint, String curveKey, long pid, String host) {
        return "{\"protocol\": \"2.0\", \"id\": \"" + id + "\", \"endpoint\": \"" + endpoint + "\", \"pid\": " + pid
                + ", \"host\": \"" + host + "\"" + (curveKey == null ? "" : ", \"curve_key\": \"" + curveKey + "\"") + "}";
    }

    private static String alive(String id, String endpoint) {
        return announce(id, endpoint, null, ProcessHandle.current().pid(), AdapterAnnounce.localHost());
    }

    private static Path write(String id, String content) throws Exception {
        Path file = adapters.resolve(id + ".json");
        PrivateFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** Waits for {@code text} on the console; then checks it came once, although the directory was read 5+ times. */
    private static String refusedOnce(String text) throws Exception {
        String line = FrameworkServicesTest.await(() -> console.stream().filter(l -> l.contains(text)).findFirst().orElse(null));
        Thread.sleep(5 * AdapterRegistry.POLL_MS + 100);
        assertEquals(1, console.stream().filter(l -> l.contains(text)).count(), "said once: " + console);
        return line;
    }

    private static boolean served(String id) throws Exception {
        BundleContext context = framework.context();
        return !context.getServiceReferences(EnvironmentFactory.class, "(" + EnvironmentFactory.IDS + "=" + id + ")").isEmpty();
    }

    @Test
    void anAnnounceOthersMayWriteIsRefusedWithTheChmodToRun() throws Exception {
        Path file = write("OpenArm-v0", alive("OpenArm-v0", "tcp://127.0.0.1:1"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        String line = refusedOnce("OpenArm-v0.json: file mode 664");
        assertTrue(line.contains("run 'chmod 600 " + file + "'"), line);
        assertFalse(served("OpenArm-v0"));
    }

    @Test
    void anAnnounceOfAnotherUserIsRefused() throws Exception {
        Path file = write("ForeignArm-v0", alive("ForeignArm-v0", "tcp://127.0.0.1:1"));
        Files.setAttribute(file, "unix:uid", OTHER_UID);
        String line = refusedOnce("ForeignArm-v0.json is owned by uid " + OTHER_UID);
        assertTrue(line.contains("not by you"), line);
        assertFalse(served("ForeignArm-v0"));
    }

    @Test
    void malformedAnnouncesAreRefusedWithTheReason() throws Exception {
        long pid = ProcessHandle.current().pid();
        String host = AdapterAnnounce.localHost();
        write("ShortKey-v0", announce("ShortKey-v0", "tcp://192.0.2.7:5600", "short", pid, host));
        write("BadKey-v0", announce("BadKey-v0", "tcp://192.0.2.7:5600", "#".repeat(40), pid, host));
        write("NoKey-v0", announce("NoKey-v0", "tcp://192.0.2.7:5600", null, pid, host));
        write("Wrong-v0", announce("Other-v0", "tcp://127.0.0.1:1", null, pid, host));
        write("NoPort-v0", announce("NoPort-v0", "tcp://127.0.0.1:*", null, pid, host));
        write("Garbage-v0", "{not json");
        write("Ipc-v0", announce("Ipc-v0", "ipc:///tmp/arm", null, pid, host));
        refusedOnce("ShortKey-v0.json: curve_key is not a CURVE public key");
        refusedOnce("BadKey-v0.json: curve_key is not a CURVE public key");
        refusedOnce("NoKey-v0.json: endpoint tcp://192.0.2.7:5600 is not a loopback address and has no curve_key");
        refusedOnce("Wrong-v0.json: id Other-v0 must look like Name-vN and match the file name");
        refusedOnce("NoPort-v0.json: endpoint tcp://127.0.0.1:* must be tcp://HOST:PORT");
        refusedOnce("Ipc-v0.json: endpoint ipc:///tmp/arm must be tcp://HOST:PORT");
        refusedOnce("Garbage-v0.json is not a JSON object");
        for (String id : List.of("ShortKey-v0", "BadKey-v0", "NoKey-v0", "Wrong-v0", "Other-v0", "NoPort-v0", "Garbage-v0",
                "Ipc-v0")) {
            assertFalse(served(id), id);
        }
    }

    @Test
    void staleAnnouncesAreIgnored() throws Exception {
        Path expired = write("Expired-v0", alive("Expired-v0", "tcp://127.0.0.1:1"));
        Files.setLastModifiedTime(expired, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        write("Dead-v0", announce("Dead-v0", "tcp://127.0.0.1:1", null, dead.pid(), AdapterAnnounce.localHost()));
        refusedOnce("Expired-v0 at tcp://127.0.0.1:1 ignored: its announce was not refreshed within the time to live");
        refusedOnce("Dead-v0 at tcp://127.0.0.1:1 ignored: its process " + dead.pid() + " is gone");
    }

    @Test
    void anIdAnotherFactoryListsIsNotTakenOverUnlessTheOwnerSaysSo() throws Exception {
        FrameworkServicesTest.Adapter adapter = FrameworkServicesTest.Adapter.start(userDirectory, "--id", "RealArm-v0");
        try {
            // a hand-written announce claiming Gymnasium's Pendulum-v1 at a live, authenticating adapter
            Path claim = write("Pendulum-v1", announce("Pendulum-v1", adapter.endpoint(), null, adapter.process().pid(),
                    AdapterAnnounce.localHost()));
            String line = refusedOnce("Pendulum-v1 at " + adapter.endpoint() + " ignored: Pendulum-v1 is served by "
                    + "another environment factory (gymnasium");
            assertTrue(line.contains(AdapterRegistry.SHADOW), line);
            assertTrue(framework.context().getServiceReferences(EnvironmentFactory.class, "(&("
                    + EnvironmentFactory.IDS + "=Pendulum-v1)(" + EnvironmentFactory.SOURCE + "=adapter))").isEmpty());
            Map<String, String> allowing = new java.util.HashMap<>(FrameworkServicesTest.properties(userDirectory));
            allowing.put(AdapterRegistry.SHADOW, "Pendulum-v1");
            try (TestFramework owner = new TestFramework(allowing)) {
                assertNotNull(FrameworkServicesTest.await(() -> {
                    Files.setLastModifiedTime(claim, FileTime.fromMillis(System.currentTimeMillis())); // its heartbeat
                    return FrameworkServicesTest.first(owner.context().getServiceReferences(EnvironmentFactory.class,
                            "(&(" + EnvironmentFactory.IDS + "=Pendulum-v1)(" + EnvironmentFactory.SOURCE + "=adapter))"));
                }), "named in " + AdapterRegistry.SHADOW);
            }
            Files.delete(adapters.resolve("Pendulum-v1.json"));
        } finally {
            adapter.process().destroy();
            adapter.process().waitFor();
        }
    }

    @Test
    void deadEndpointsDoNotHoldUpAGoodAnnounce() throws Exception {
        // three announces of endpoints that accept TCP connections and never answer: the worst case for a probe
        List<ServerSocket> silent = new ArrayList<>();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        for (int i = 0; i < AdapterRegistry.PROBE_THREADS - 1; i++) {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            silent.add(socket);
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            write("Silent" + i + "-v0", alive("Silent" + i + "-v0", "tcp://127.0.0.1:" + socket.getLocalPort()));
        }
        Thread.sleep(AdapterRegistry.POLL_MS + 100); // the silent ones are being probed
        FrameworkServicesTest.Adapter adapter = FrameworkServicesTest.Adapter.start(userDirectory, "--id", "GoodArm-v0");
        try {
            FrameworkServicesTest.await(() -> served("GoodArm-v0") ? Boolean.TRUE : null);
            long ms = (System.nanoTime() - adapter.readyNanos()) / 1_000_000;
            System.out.println("good announce served " + ms + " ms after the adapter started, with "
                    + silent.size() + " dead endpoints being probed");
            assertTrue(ms < FrameworkServicesTest.ANNOUNCE_BOUND_MS, ms + " ms");
            assertFalse(served("Silent0-v0"));
            refusedOnce("Silent0-v0 at tcp://127.0.0.1:" + silent.get(0).getLocalPort() + " announced but not usable");
        } finally {
            adapter.process().destroy();
            adapter.process().waitFor();
            for (ServerSocket socket : silent) {
                socket.close();
            }
            for (Socket socket : accepted) {
                socket.close();
            }
            for (int i = 0; i < silent.size(); i++) {
                Files.deleteIfExists(adapters.resolve("Silent" + i + "-v0.json"));
            }
        }
    }

    @Test
    void anAdapterThatCannotProveThePerUserKeyIsNotServed() throws Exception {
        // a live bridge that answers the handshake, but with a key of its own: a stray server on a known port
        try (PythonServer stranger = PythonServer.start()) {
            write("Stranger-v0", announce("Stranger-v0", stranger.endpoint, null, stranger.process.pid(),
                    AdapterAnnounce.localHost()));
            String line = refusedOnce("Stranger-v0 at " + stranger.endpoint + " announced but not usable");
            assertTrue(line.contains("cannot prove it holds the key"), line);
            assertFalse(served("Stranger-v0"));
            Files.delete(adapters.resolve("Stranger-v0.json"));
        }
    }

    @Test
    void lookingForAdaptersCreatesNothingInTheUsersHome() throws Exception {
        Path fresh = TestPython.userDirectory();
        try (TestFramework quiet = new TestFramework(FrameworkServicesTest.properties(fresh))) {
            Thread.sleep(3 * AdapterRegistry.POLL_MS);
            assertFalse(Files.exists(fresh), "list, eval and swap leave the home alone");
        }
    }

    @Test
    void theRegistryDirectoryItselfMustBePrivate() throws Exception {
        Path other = TestPython.userDirectory();
        Path otherAdapters = new UserDirectory(other).adapters();
        Files.setPosixFilePermissions(otherAdapters, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (TestFramework open = new TestFramework(FrameworkServicesTest.properties(other))) {
            String line = refusedOnce("robot adapters ignored: " + otherAdapters + ": directory mode 777");
            assertTrue(line.contains("chmod 700 " + otherAdapters), line);
            assertNull(FrameworkServicesTest.first(open.context().getServiceReferences(EnvironmentFactory.class,
                    "(" + EnvironmentFactory.SOURCE + "=adapter)")));
        }
    }
}
