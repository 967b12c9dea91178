package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per run directory, and a run directory that is its owner's alone (issue 12 and issue 11, item 1),
 * with real child runtimes: a second process cannot touch a live run; two trains started together get two
 * directories; every file is created owner-only under a permissive umask; files others could read or write are
 * refused on reading.
 */
@Timeout(900)
class RunOwnershipTest {

    private static final Duration BOOT = Duration.ofSeconds(120);

    @Test
    void resumeOrTrainOfALiveRunIsRefusedAndChangesNoFileOfIt(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        // the live run stays 30 s in its first checkpoint write: nothing of it changes meanwhile but by intruders
        Process train = RuntimeProcess.builder(log, List.of("-Dsymphony.test.checkpoint.pause=30000"), "train",
                "--preset", Runs.TINY.toString(), "--steps", "100000", "--seed", "51", "--checkpoint-every", "200",
                "--quiet", "--run-dir", run.toString()).start();
        try {
            Runs.await("the first checkpoint being written", Duration.ofSeconds(300), train, log,
                    () -> Files.exists(run.resolve("checkpoints/.tmp-step-000000000200/state.json")));
            Thread.sleep(1000); // its last file, too, is written: the run sleeps in the pause now
            SortedMap<String, String> before = Runs.hashTree(run);
            assertTrue(before.containsKey("control.json"), before.keySet().toString());
            String live = "run " + run + " is live (pid " + train.pid() + "); use 'symphony swap' or stop it first";

            String resume = Runs.run(dir.resolve("resume.log"), 2, BOOT, "resume", run.toString());
            assertTrue(resume.contains("symphony resume: " + live), resume);
            String again = Runs.run(dir.resolve("train2.log"), 2, BOOT, "train", "--preset", Runs.TINY.toString(),
                    "--run-dir", run.toString());
            assertTrue(again.contains("symphony train: " + live), again);
            assertTrue(!again.contains("resume it"), "no advice to resume a live run: " + again);

            assertEquals(before, Runs.hashTree(run), "the refused commands changed the live run's files");
            assertTrue(train.isAlive());
        } finally {
            train.destroyForcibly();
            train.waitFor();
        }
    }

    @Test
    void twoTrainsStartedTogetherGetTwoRunDirectories(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        List<Process> trains = new ArrayList<>();
        for (int seed : new int[] {61, 62}) {
            trains.add(RuntimeProcess.builder(dir.resolve(seed + ".log"), List.of("-Dsymphony.runs=" + runs), "train",
                    "--preset", Runs.TINY.toString(), "--steps", "250", "--seed", String.valueOf(seed), "--quiet").start());
        }
        for (int i = 0; i < trains.size(); i++) {
            assertTrue(trains.get(i).waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, trains.get(i).exitValue(), Files.readString(dir.resolve((61 + i) + ".log")));
        }
        List<Path> made;
        try (Stream<Path> s = Files.list(runs)) {
            made = s.sorted().toList();
        }
        assertEquals(2, made.size(), made.toString());
        List<Long> seeds = new ArrayList<>();
        for (Path run : made) {
            assertTrue(run.getFileName().toString().matches("Pendulum-v1-\\d{8}-\\d{6}(-2)?"), run.toString());
            seeds.add(JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject().get("seed").getAsLong());
            Runs.assertNoStepLostOrRepeated(run, 250);
        }
        assertEquals(List.of(61L, 62L), seeds.stream().sorted().toList(), "each run in a directory of its own");
    }

    @Test
    void underAPermissiveUmaskEveryFileIsTheOwnersAloneAndWhatOthersCouldTouchIsRefused(@TempDir Path dir)
            throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process train = Runs.underUmask("000", RuntimeProcess.builder(log, List.of(), "train", "--preset",
                Runs.TINY.toString(), "--steps", "100000", "--seed", "52", "--checkpoint-every", "250", "--eval-every",
                "300", "--eval-episodes", "1", "--quiet", "--run-dir", run.toString())).start();
        try {
            // the evaluation at step 300 comes before the first checkpoint (the episode end at 400)
            Runs.await("a checkpoint", Duration.ofSeconds(300), train, log,
                    () -> Runs.checkpointSteps(run).size() >= 1 && Files.exists(run.resolve("control.json"))
                            && Files.exists(run.resolve("returns.png")));
            for (var e : Runs.hashTree(run).entrySet()) {
                Path p = run.resolve(e.getKey());
                if (p.getFileName().toString().startsWith(".tmp") || !Files.exists(p)) {
                    continue; // being written or replaced right now
                }
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(e.getValue().equals("dir") ? "rwx------" : "rw-------", mode, e.getKey());
            }
            assertTrue(hasBest(run), "the best checkpoint was among the files checked");

            // a token others could read is refused by swap
            Files.setPosixFilePermissions(run.resolve("control.json"), PosixFilePermissions.fromString("rw-r--r--"));
            String swap = Runs.run(dir.resolve("swap.log"), 2, BOOT, "swap", run.toString(), "--buffer", "uniform");
            assertTrue(swap.contains("symphony swap: control file " + run.resolve("control.json") + " is readable or"
                    + " writable by others: its secret may have leaked (rw-r--r--); refusing to use it."), swap);
        } finally {
            train.destroyForcibly();
            train.waitFor();
        }

        // a run directory others can write could hold a run.json of theirs: resume and eval refuse it
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String command : List.of("resume", "eval")) {
            String out = Runs.run(dir.resolve(command + ".log"), 2, BOOT, command, run.toString());
            assertTrue(out.contains("symphony " + command + ": run directory " + run + " is writable by others"
                    + " (rwxrwxrwx); refusing to use it. If you trust its content, run 'chmod go-w " + run + "'"), out);
        }
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
        // a run.json of another user
        Process chown = new ProcessBuilder("chown", "12345", run.resolve("run.json").toString()).start();
        if (chown.waitFor() == 0) { // needs root
            String out = Runs.run(dir.resolve("eval2.log"), 2, BOOT, "eval", run.toString());
            assertTrue(out.contains("symphony eval: run description " + run.resolve("run.json") + " belongs to "), out);
        }
    }

    private static boolean hasBest(Path run) {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("best-step-"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void swapRefusesAFileThatIsNotABundleJarWithExitCode2(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process train = RuntimeProcess.start(log, "train", "--preset", Runs.TINY.toString(), "--steps", "100000",
                "--seed", "53", "--quiet", "--run-dir", run.toString());
        try {
            Runs.await("the control socket", Duration.ofSeconds(300), train, log,
                    () -> Files.exists(run.resolve("control.json")));
            Path text = Files.writeString(dir.resolve("agent.jar"), "not a zip file");
            String out = Runs.run(dir.resolve("swap.log"), 2, BOOT, "swap", run.toString(), "--bundle", text.toString());
            assertTrue(out.contains("symphony swap: " + text + " is not a jar ("), out);
            Path plain = dir.resolve("plain.jar");
            try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(plain))) {
                jar.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            }
            out = Runs.run(dir.resolve("swap2.log"), 2, BOOT, "swap", run.toString(), "--bundle", plain.toString());
            assertTrue(out.contains("symphony swap: " + plain + " is not an OSGi bundle (no Bundle-SymbolicName in its"
                    + " manifest)"), out);
            assertTrue(train.isAlive(), "the run goes on");
        } finally {
            train.destroyForcibly();
            train.waitFor();
        }
    }
}
