package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;
import org.symphonyrl.api.StepResult;

/**
 * The bundle in a real Felix: the factory service serves Gymnasium ids, and the example MuJoCo robot adapter
 * (a separate Python process) appears as an Environment service when it announces itself and goes away when it stops.
 */
class FrameworkServicesTest {

    private static final String ROBOT = "MujocoRobot-v0";
    private static final long TTL_MS = 1500;
    private static TestFramework framework;
    private static String registry;

    @BeforeAll
    static void startFramework() throws Exception {
        registry = "tcp://127.0.0.1:" + freePort();
        framework = new TestFramework(Map.of(AdapterRegistry.REGISTRY, registry,
                AdapterRegistry.TTL_MS, Long.toString(TTL_MS), BridgeSettings.HOME, TestPython.HOME.toString()));
    }

    @AfterAll
    static void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void factoryServiceMakesGymnasiumEnvironmentsInsideTheFramework() throws Exception {
        BundleContext context = framework.context();
        ServiceReference<EnvironmentFactory> reference = await(() -> context.getServiceReference(EnvironmentFactory.class));
        List<String> ids = Arrays.asList((String[]) reference.getProperty(EnvironmentFactory.IDS));
        assertTrue(ids.containsAll(List.of("Hopper-v5", "Humanoid-v5", "*-v*")), ids.toString());
        EnvironmentFactory factory = context.getService(reference);
        try (Environment env = factory.create("Hopper-v5", Map.of())) {
            assertEquals(11, env.reset(0).length);
            assertEquals(11, env.step(new float[3]).observation().length);
        }
        context.ungetService(reference);
        assertEquals(1, bridgeServers().size(), "the server outlives a released factory service: environments stay usable");

        org.osgi.framework.Bundle bundle = reference.getBundle();
        bundle.stop();
        await(() -> bridgeServers().isEmpty() ? Boolean.TRUE : null); // stopped with the bundle
        bundle.start();
    }

    /** Our child processes that are bridge servers. */
    private static List<ProcessHandle> bridgeServers() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("symphony_bridge serve"))
                        .orElse(false))
                .toList();
    }

    @Test
    void announcedAdapterBecomesAServiceIsSteppedWatchdogFiresAndServiceGoesWhenItStops() throws Exception {
        BundleContext context = framework.context();
        Adapter adapter = startAdapter();
        try {
            ServiceReference<Environment> reference = await(() -> robot(context, adapter.endpoint()));
            assertEquals("adapter", reference.getProperty(AdapterRegistry.ENV_SOURCE));
            Environment robot = context.getService(reference);
            assertEquals(4, robot.spec().observationSize());
            assertEquals(1.5f, robot.spec().actionHigh()[0], "the robot's own limits, tighter than the model's");
            robot.reset(3);
            for (int t = 0; t < 5; t++) {
                StepResult r = robot.step(new float[] {0.0f});
                assertFalse(r.done(), "the pole is still up at step " + t);
                assertEquals(0.0, ((Number) r.info().get("clipped")).doubleValue());
            }
            assertEquals(1.0, ((Number) robot.step(new float[] {2.5f}).info().get("clipped")).doubleValue(),
                    "an action past the limit is clipped at the robot");

            Thread.sleep(700); // the trainer stalls: no action within the robot's 300 ms deadline
            StepResult stalled = robot.step(new float[] {0.3f});
            assertTrue(stalled.truncated() && !stalled.terminated(), "watchdog ends the episode: " + stalled);
            assertEquals(Boolean.TRUE, stalled.info().get("watchdog"));
            robot.reset(4);
            assertFalse(robot.step(new float[] {0.0f}).done(), "a new episode runs after the watchdog");

            BridgeCrashTest.signal("USR1", adapter.process().pid()); // the emergency-stop button
            StepResult halted = await(() -> {
                StepResult r = robot.step(new float[] {0.0f});
                return r.done() ? r : null;
            });
            assertTrue(halted.truncated() && halted.interrupted() && !halted.terminated(), halted.toString());
            assertTrue(String.valueOf(halted.info().get(RemoteEnvironment.INFO_INTERRUPTED_REASON))
                    .contains("emergency_stop"), halted.info().toString());
            IllegalStateException held = assertThrows(IllegalStateException.class, () -> robot.reset(5));
            assertTrue(held.getMessage().contains("emergency stop"), held.getMessage());
            BridgeCrashTest.signal("USR2", adapter.process().pid()); // released at the robot
            await(() -> {
                try {
                    return robot.reset(5);
                } catch (IllegalStateException stillHeld) {
                    return null;
                }
            });
            assertFalse(robot.step(new float[] {0.0f}).done(), "runs again after the release");
            context.ungetService(reference);

            long stopped = System.nanoTime();
            adapter.process().destroy(); // SIGTERM: the adapter withdraws itself
            assertEquals(0, adapter.process().waitFor());
            await(() -> robot(context, adapter.endpoint()) == null ? Boolean.TRUE : null);
            long ms = (System.nanoTime() - stopped) / 1_000_000;
            assertTrue(ms < TTL_MS, "withdrawn at once, not left to expire: " + ms + " ms");
        } finally {
            adapter.process().destroyForcibly();
        }
    }

    @Test
    void killedAdapterExpiresAfterItsTimeToLive() throws Exception {
        BundleContext context = framework.context();
        Adapter adapter = startAdapter();
        try {
            await(() -> robot(context, adapter.endpoint()));
            adapter.process().destroyForcibly(); // SIGKILL: no withdraw, the heartbeats just stop
            adapter.process().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            await(() -> robot(context, adapter.endpoint()) == null ? Boolean.TRUE : null);
            long ms = (System.nanoTime() - killed) / 1_000_000;
            assertTrue(ms >= TTL_MS - 1000 && ms < TTL_MS + 3000, "expired after about the ttl: " + ms + " ms");
        } finally {
            adapter.process().destroyForcibly();
        }
    }

    @Test
    void adapterServingWithCurveIsReachedWithTheKeyItAnnounces() throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.createTempFile("adapter", ".keys");
        Process keygen = new ProcessBuilder(TestPython.python().toString(), "-m", "symphony_bridge", "keygen",
                keys.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, keygen.waitFor());
        BundleContext context = framework.context();
        Adapter adapter = startAdapter("--curve-keys", keys.toString());
        try {
            ServiceReference<Environment> reference = await(() -> robot(context, adapter.endpoint()));
            Environment robot = context.getService(reference);
            assertEquals(4, robot.reset(0).length);
            assertFalse(robot.step(new float[] {0.0f}).interrupted());
            context.ungetService(reference);
        } finally {
            adapter.process().destroy();
            adapter.process().waitFor(10, TimeUnit.SECONDS);
            java.nio.file.Files.delete(keys);
        }
    }

    /** The robot's service from the adapter at {@code endpoint}, or null. */
    private static ServiceReference<Environment> robot(BundleContext context, String endpoint) {
        try {
            Collection<ServiceReference<Environment>> found = context.getServiceReferences(Environment.class,
                    "(&(" + AdapterRegistry.ENV_ID + "=" + ROBOT + ")(" + AdapterRegistry.ENV_ENDPOINT + "=" + endpoint + "))");
            return found.isEmpty() ? null : found.iterator().next();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    record Adapter(Process process, String endpoint) {
    }

    private static Adapter startAdapter(String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(TestPython.python().toString(), "-m",
                "symphony_bridge.examples.mujoco_robot", "--announce", registry, "--watchdog-ms", "300", "--latency-ms", "1"));
        command.addAll(List.of(more));
        Process adapter = new ProcessBuilder(command)
                .redirectError(java.nio.file.Files.createTempFile("adapter", ".log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(adapter.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertNotNull(ready, "the adapter did not start");
        assertTrue(ready.startsWith(Protocol.READY + " "), ready);
        return new Adapter(adapter, ready.substring(Protocol.READY.length() + 1).trim());
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    static <T> T await(Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within 30 s");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
