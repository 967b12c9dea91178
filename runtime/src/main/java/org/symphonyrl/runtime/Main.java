package org.symphonyrl.runtime;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./symphony}: boots the OSGi runtime with a feature and runs one command in it.
 * {@code list} is answered here from service properties; train, resume, eval and swap are services
 * of the trainer bundle (see {@link Commands}).
 */
@Command(name = "symphony", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Trains agents with the Symphony actor-critic (arXiv 2512.10477) in an OSGi runtime.", ""},
        footer = {"", "Run 'symphony COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {

    @Option(names = "--feature", paramLabel = "NAME|FILE", defaultValue = "default",
            description = "Feature to run: a name in features/ or a path to a feature JSON (default: ${DEFAULT-VALUE}).")
    String feature;

    final Path home;

    Main(Path home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true"); // the trainer draws returns.png with no display
        // One PyTorch thread unless the user asks for more (-Dai.djl.pytorch.num_threads=N): the agent's
        // matrices are small, and a second intra-op thread spinning on a shared 2-core machine made updates
        // 2-10 times slower (docs/training.md, "Threads").
        for (String p : new String[] {"ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads"}) {
            if (System.getProperty(p) == null) {
                System.setProperty(p, "1");
            }
        }
        quietLoggers();
        Path home = Path.of(System.getProperty(RuntimeFramework.HOME, ".")).toAbsolutePath().normalize();
        System.exit(commandLine(home).execute(args));
    }

    /**
     * Warnings only, and not DJL's CudaUtils warning "Failed to detect GPU count": it comes on every machine
     * without a CUDA driver, where the CPU engine is what the launcher ships. A user's own -D settings win.
     */
    static void quietLoggers() {
        String prefix = "org.slf4j.simpleLogger.";
        for (String[] level : new String[][] {{"defaultLogLevel", "warn"}, {"log.ai.djl.util.cuda.CudaUtils", "error"}}) {
            if (System.getProperty(prefix + level[0]) == null) {
                System.setProperty(prefix + level[0], level[1]);
            }
        }
    }

    /** The command tree; the delegated commands are listed with their summaries. */
    static CommandLine commandLine(Path home) {
        Main main = new Main(home);
        CommandLine cl = new CommandLine(main);
        cl.addSubcommand("list", new ListCommand(main));
        for (Map.Entry<String, String> c : Commands.DELEGATED.entrySet()) {
            Delegated d = new Delegated(main, c.getKey());
            CommandLine sub = new CommandLine(d);
            sub.getCommandSpec().usageMessage().description(c.getValue());
            sub.getCommandSpec().parser().unmatchedOptionsArePositionalParams(true);
            cl.addSubcommand(c.getKey(), sub);
        }
        return cl;
    }

    /** The feature file named by --feature. */
    Feature readFeature() throws Exception {
        Path file = feature.endsWith(".json") ? Path.of(feature) : home.resolve("features").resolve(feature + ".json");
        if (!Files.isRegularFile(file)) {
            throw new StartFailure("no feature '" + feature + "': " + file + " does not exist");
        }
        return Feature.read(file);
    }

    /** Boots the runtime; on failure prints why and returns null. */
    RuntimeFramework boot(PrintWriter err) {
        try {
            RuntimeFramework runtime = RuntimeFramework.start(home, distribution().resolve("bundles"), readFeature(),
                    Map.of());
            Thread hook = new Thread(() -> runtime.stop(Duration.ofSeconds(120)), "symphony-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            return runtime;
        } catch (Exception e) {
            err.println("symphony: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    Path distribution() {
        return Path.of(System.getProperty("symphony.dist", home.resolve("runtime/target/dist").toString()));
    }

    /** A command carried out by a bundle's service: the raw arguments go to it unparsed. */
    @Command(description = "")
    static final class Delegated implements Callable<Integer> {
        private final Main main;
        private final String name;

        @Unmatched
        List<String> args = new ArrayList<>();

        Delegated(Main main, String name) {
            this.main = main;
            this.name = name;
        }

        @Override
        public Integer call() {
            PrintWriter err = new PrintWriter(System.err, true);
            RuntimeFramework runtime = main.boot(err);
            if (runtime == null) {
                return Commands.EXIT_START_FAILED;
            }
            try {
                return Commands.run(runtime.context(), name, args.toArray(String[]::new), err);
            } finally {
                runtime.close();
            }
        }
    }

    /** Version from the jar manifest (the build's version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"symphony " + (v == null ? "(development build)" : v)};
        }
    }
}
