package org.symphonyrl.env.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.Environment;
import org.symphonyrl.api.StepResult;

/** A server that dies (SIGKILL) or hangs (SIGSTOP) mid-episode: the episode ends truncated, the server is replaced, work goes on. */
class BridgeCrashTest {

    private GymnasiumEnvironmentFactory factory;

    @BeforeEach
    void startBridge() {
        // short request timeout so the hung-server case takes about a second, not the default 30 s
        factory = new GymnasiumEnvironmentFactory(TestPython.ownServer()
                .withTimeouts(Duration.ofMillis(400), Duration.ofSeconds(120), 1));
    }

    @AfterEach
    void stopBridge() {
        factory.close();
    }

    @Test
    void killedServerEndsTheEpisodeAsInterruptedAndIsRestarted() throws Exception {
        Environment env = factory.create("Hopper-v5", Map.of());
        Environment second = factory.create("InvertedPendulum-v5", Map.of());
        env.reset(5);
        second.reset(5);
        StepResult before = null;
        for (int t = 0; t < 5; t++) {
            before = env.step(new float[3]);
        }
        long pid = factory.bridge().serverPid();
        signal("KILL", pid);

        StepResult cut = env.step(new float[3]);
        assertTrue(cut.truncated() && !cut.terminated() && cut.interrupted(), "cut: " + cut);
        assertArrayEquals(before.observation(), cut.observation(), "the last observation stands for the lost state");
        assertEquals(0.0, cut.reward());
        String reason = cut.interruptionReason();
        assertTrue(reason.contains("died") && reason.contains("restarted") && reason.contains("episode in progress was lost")
                && reason.contains("bridge-1.log"), reason);
        assertNotEquals(pid, factory.bridge().serverPid(), "a new server runs");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        // both environments are made again on the new server and behave as fresh ones
        float[] again = env.reset(5);
        assertArrayEquals(GymnasiumReference.run("Hopper-v5", Map.of(), java.util.List.of(5L), java.util.List.of())
                .resets().get(0), again);
        for (int t = 0; t < 5; t++) {
            assertFalse(env.step(new float[3]).done());
        }
        StepResult other = second.step(new float[1]);
        assertTrue(other.interrupted() && other.truncated(), "the other episode was lost with the server too");
        assertTrue(other.interruptionReason().contains("restarted") && other.interruptionReason().contains("lost"),
                other.interruptionReason());
        assertEquals(4, second.reset(5).length);
        assertFalse(second.step(new float[1]).interrupted());
        env.close();
        second.close();
    }

    @Test
    void hungServerIsDetectedByTimeoutKilledAndReplaced() throws Exception {
        Environment env = factory.create("Hopper-v5", Map.of());
        env.reset(1);
        env.step(new float[3]);
        long pid = factory.bridge().serverPid();
        signal("STOP", pid);
        try {
            long start = System.nanoTime();
            StepResult cut = env.step(new float[3]);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(cut.interrupted() && cut.truncated(), "cut: " + cut);
            assertTrue(cut.interruptionReason().contains("after 2 tries of 400 ms")
                    && cut.interruptionReason().contains("restarted"), cut.interruptionReason());
            assertTrue(ms >= 800, "two tries of 400 ms, took " + ms + " ms");
        } finally {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                signal("CONT", pid); // the test failed before the server was replaced: do not leave it stopped
            }
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung server was killed");
        env.reset(1);
        assertEquals(11, env.step(new float[3]).observation().length);
        env.close();
    }

    @Test
    void closingTheFactoryWithAHungServerTakesSecondsNotTimeouts() throws Exception {
        for (int i = 0; i < 3; i++) {
            factory.create("InvertedPendulum-v5", Map.of()).reset(i);
        }
        long pid = factory.bridge().serverPid();
        signal("STOP", pid);
        long start = System.nanoTime();
        factory.close();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung server was killed");
        assertTrue(ms < 5000, "closed in " + ms + " ms");
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
