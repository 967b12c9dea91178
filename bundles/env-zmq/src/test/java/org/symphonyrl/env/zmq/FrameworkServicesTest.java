package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.symphonyrl.api.EmergencyStopException;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.EnvironmentFactory;
import org.symphonyrl.api.StepResult;

/**
 * The bundle in a real Felix: the Gymnasium factory serves Gymnasium ids, and the example MuJoCo robot adapter (a
 * separate Python process) becomes an EnvironmentFactory when it announces itself, is made once per create,
 * stepped, paused, stopped, and goes away when it stops.
 */
class FrameworkServicesTest {

    static final String ROBOT = "MujocoRobot-v0";
    /** Long enough that "gone at once" and "left to expire" stay apart on a loaded 2-core machine. */
    static final long TTL_MS = 4000;
    /**
     * Bound on announce-to-service latency: it measures 125-190 ms on an idle machine and reached 2 s on a loaded one;
     * the bound only has to tell it from the 60 s stall a dead endpoint used to cause.
     */
    static final long ANNOUNCE_BOUND_MS = 5000;
    private static Path userDirectory;
    private static TestFramework framework;

    @BeforeAll
    static void startFramework() throws Exception {
        userDirectory = TestPython.userDirectory();
        framework = new TestFramework(properties(userDirectory));
    }

    static Map<String, String> properties(Path userDirectory) {
        return Map.of(UserDirectory.PROPERTY, userDirectory.toString(), AdapterRegistry.TTL_MS, Long.toString(TTL_MS),
                BridgeSettings.HOME, TestPython.HOME.toString());
    }

    @AfterAll
    static void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void factoryServiceMakesGymnasiumEnvironmentsInsideTheFramework() throws Exception {
        BundleContext context = framework.context();
        ServiceReference<EnvironmentFactory> reference = await(() -> first(context.getServiceReferences(
                EnvironmentFactory.class, "(" + EnvironmentFactory.SOURCE + "=gymnasium)")));
        List<String> ids = Arrays.asList((String[]) reference.getProperty(EnvironmentFactory.IDS));
        assertTrue(ids.containsAll(GymnasiumEnvironmentFactory.IDS) && ids.contains("*-v*")
                && ids.size() == GymnasiumEnvironmentFactory.IDS.size() + 1, ids.toString());
        EnvironmentFactory factory = context.getService(reference);
        assertEquals(GymnasiumEnvironmentFactory.IDS, factory.ids());
        assertFalse(factory.singleInstance("Hopper-v5"));
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
    void announcedRobotIsAFactoryMadeOncePerCreateSteppedPausedStoppedAndClosedCleanly() throws Exception {
        BundleContext context = framework.context();
        Adapter adapter = Adapter.start(userDirectory);
        try {
            ServiceReference<EnvironmentFactory> reference = await(() -> robot(context, adapter.endpoint()));
            long announcedMs = (System.nanoTime() - adapter.readyNanos()) / 1_000_000;
            assertTrue(announcedMs < ANNOUNCE_BOUND_MS, "from the adapter's start to a factory service: " + announcedMs + " ms");
            System.out.println("announce latency (adapter ready -> EnvironmentFactory service): " + announcedMs + " ms");
            assertEquals(AdapterRegistry.SOURCE_ADAPTER, reference.getProperty(EnvironmentFactory.SOURCE));
            assertEquals(-5, reference.getProperty("service.ranking"), "above the Gymnasium pattern (-10)");
            EnvironmentFactory factory = context.getService(reference);
            assertEquals(List.of(ROBOT), factory.ids());
            assertTrue(factory.singleInstance(ROBOT) && factory.supports(ROBOT) && !factory.supports("Hopper-v5"));
            assertEquals(0, adapter.makes(), "the registry's probe made nothing on the robot");

            Environment robot = factory.create(ROBOT, Map.of());
            assertEquals(1, adapter.makes());
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> factory.create(ROBOT, Map.of()));
            assertTrue(busy.getMessage().contains("one robot, one connection"), busy.getMessage());
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

            robot.pause("update");
            Thread.sleep(700); // the trainer pauses on purpose, longer than the robot's 300 ms watchdog
            StepResult resumed = robot.step(new float[] {0.0f});
            assertFalse(resumed.done() || resumed.info().containsKey("watchdog"), "a pause is not a trip: " + resumed);

            Thread.sleep(700); // the trainer stalls without saying so: a real silence
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
            assertTrue(halted.truncated() && halted.interrupted() && halted.emergencyStop() && !halted.terminated(),
                    halted.toString());
            assertTrue(halted.interruptionReason().contains("emergency stop"), halted.interruptionReason());
            EmergencyStopException held = assertThrows(EmergencyStopException.class, () -> robot.reset(5));
            assertTrue(held.getMessage().contains("emergency stop"), held.getMessage());
            BridgeCrashTest.signal("USR2", adapter.process().pid()); // released at the robot
            await(() -> {
                try {
                    return robot.reset(5);
                } catch (EmergencyStopException stillHeld) {
                    return null;
                }
            });
            assertFalse(robot.step(new float[] {0.0f}).done(), "runs again after the release");
            robot.pause("checkpoint");
            robot.close();
            try (Environment again = factory.create(ROBOT, Map.of())) { // closed: the robot is free again
                assertEquals(4, again.reset(6).length);
                again.pause("evaluation");
            }
            assertEquals(2, adapter.makes(), "one make per create, nothing else");
            context.ungetService(reference);

            long stopped = System.nanoTime();
            adapter.process().destroy(); // SIGTERM: the adapter removes its announce
            assertEquals(0, adapter.process().waitFor());
            await(() -> robot(context, adapter.endpoint()) == null ? Boolean.TRUE : null);
            long ms = (System.nanoTime() - stopped) / 1_000_000;
            System.out.println("adapter stopped (SIGTERM) -> factory service gone: " + ms + " ms");
            assertTrue(ms < TTL_MS, "withdrawn at once, not left to expire: " + ms + " ms");
            String log = Files.readString(adapter.log());
            assertFalse(log.contains("closed mid-episode"), "closed while paused: a clean close\n" + log);
            assertEquals(2, log.lines().filter(l -> l.contains("safe state")).count(),
                    "two faults only: the watchdog's real silence and the emergency stop\n" + log);
        } finally {
            adapter.process().destroyForcibly();
        }
    }

    @Test
    void killedAdapterGoesAwayAndTheEpisodeItRanEndsInterrupted() throws Exception {
        BundleContext context = framework.context();
        Adapter adapter = Adapter.start(userDirectory);
        try {
            ServiceReference<EnvironmentFactory> reference = await(() -> robot(context, adapter.endpoint()));
            EnvironmentFactory factory = context.getService(reference);
            Environment robot = factory.create(ROBOT, Map.of());
            robot.reset(0);
            robot.step(new float[] {0.0f});
            adapter.process().destroyForcibly(); // SIGKILL: the announce file stays, its process is gone
            adapter.process().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            await(() -> robot(context, adapter.endpoint()) == null ? Boolean.TRUE : null);
            long ms = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("adapter killed (SIGKILL) -> factory service gone: " + ms + " ms");
            assertTrue(ms < TTL_MS, "a dead local process is noticed at the next look, before the ttl: " + ms + " ms");
            StepResult cut = robot.step(new float[] {0.0f});
            assertTrue(cut.interrupted() && cut.truncated() && !cut.terminated(), cut.toString());
            assertTrue(cut.interruptionReason().contains("went away"), cut.interruptionReason());
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> factory.create(ROBOT, Map.of()));
            assertTrue(gone.getMessage().contains("no longer available"), gone.getMessage());
            robot.close();
            context.ungetService(reference);
        } finally {
            adapter.process().destroyForcibly();
        }
    }

    @Test
    void adapterServingWithCurveIsReachedWithTheKeyItAnnounces() throws Exception {
        Path keys = Files.createTempFile("adapter", ".keys");
        Process keygen = new ProcessBuilder(TestPython.python().toString(), "-m", "symphony_bridge", "keygen",
                keys.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, keygen.waitFor());
        BundleContext context = framework.context();
        Adapter adapter = Adapter.start(userDirectory, "--curve-keys", keys.toString());
        try {
            ServiceReference<EnvironmentFactory> reference = await(() -> robot(context, adapter.endpoint()));
            try (Environment robot = context.getService(reference).create(ROBOT, Map.of())) {
                assertEquals(4, robot.reset(0).length);
                assertFalse(robot.step(new float[] {0.0f}).interrupted());
            }
            context.ungetService(reference);
        } finally {
            adapter.process().destroy();
            adapter.process().waitFor(10, TimeUnit.SECONDS);
            Files.delete(keys);
        }
    }

    @Test
    void twoRuntimesOfOneUserBothSeeTheSameAdapter() throws Exception {
        Adapter adapter = Adapter.start(userDirectory);
        try (TestFramework second = new TestFramework(properties(userDirectory))) {
            ServiceReference<EnvironmentFactory> here = await(() -> robot(framework.context(), adapter.endpoint()));
            ServiceReference<EnvironmentFactory> there = await(() -> robot(second.context(), adapter.endpoint()));
            assertNotNull(here);
            try (Environment robot = second.context().getService(there).create(ROBOT, Map.of())) {
                assertEquals(4, robot.reset(0).length, "the second runtime drives it");
            }
            assertEquals(1, adapter.makes());
        } finally {
            adapter.process().destroy();
            adapter.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The factory of the adapter at {@code endpoint}, or null. */
    static ServiceReference<EnvironmentFactory> robot(BundleContext context, String endpoint) throws Exception {
        return first(context.getServiceReferences(EnvironmentFactory.class,
                "(&(" + EnvironmentFactory.IDS + "=" + ROBOT + ")(" + AdapterRegistry.ENV_ENDPOINT + "=" + endpoint + "))"));
    }

    static <T> T first(Collection<T> found) {
        return found.isEmpty() ? null : found.iterator().next();
    }

    /** The example robot as a process of its own, announced in {@code userDirectory}. */
    record Adapter(Process process, String endpoint, Path log, long readyNanos) {

        static Adapter start(Path userDirectory, String... more) throws Exception {
            List<String> command = new ArrayList<>(List.of(TestPython.python().toString(), "-I", "-m",
                    "symphony_bridge.examples.mujoco_robot", "--watchdog-ms", "300", "--latency-ms", "1"));
            command.addAll(List.of(more));
            Path log = Files.createTempFile("adapter", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().put(UserDirectory.VARIABLE, userDirectory.toString());
            Process adapter = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(adapter.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            long readyNanos = System.nanoTime();
            assertNotNull(ready, "the adapter did not start: " + Files.readString(log));
            assertTrue(ready.startsWith(Protocol.READY + " "), ready);
            return new Adapter(adapter, ready.substring(Protocol.READY.length() + 1).trim(), log, readyNanos);
        }

        /** How often the robot was made (it logs each make). */
        long makes() throws Exception {
            return Files.readString(log).lines().filter(l -> l.contains(ROBOT + " opened")).count();
        }
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
            Thread.sleep(10);
        }
        throw new AssertionError("not within 30 s");
    }
}
