package org.symphonyrl.runtime;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The contract between the launcher and the bundles that implement commands: a command is a service
 * registered as {@code java.util.function.Function<String[], Integer>} with the properties
 * {@value #COMMAND} (its name) and {@value #SUMMARY}; it gets the raw arguments and returns the exit code.
 * Only java.* types cross, so the launcher needs none of the bundles' classes.
 */
public final class Commands {

    public static final String COMMAND = "symphony.command";
    public static final String SUMMARY = "symphony.command.summary";

    public static final int EXIT_START_FAILED = 3;
    public static final int EXIT_NOT_AVAILABLE = 4;

    /** Commands that bundles provide, with the summary shown by {@code --help} before any bundle is loaded. */
    static final Map<String, String> DELEGATED = new LinkedHashMap<>();

    static {
        DELEGATED.put("train", "Train an agent on an environment (embedded Pendulum by default, or a Gymnasium id).");
        DELEGATED.put("resume", "Resume a training run from its last checkpoint: resume RUN_DIR.");
        DELEGATED.put("eval", "Evaluate a run's agent without noise: eval RUN_DIR [--episodes N].");
        DELEGATED.put("swap", "Swap the replay buffer or the agent bundle of a live run: swap RUN_DIR --buffer KIND | --bundle JAR.");
    }

    private Commands() {
    }

    /** Finds the command's service and runs it; says so plainly when no bundle provides it. */
    @SuppressWarnings("unchecked")
    static int run(BundleContext context, String name, String[] args, PrintWriter err) {
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences(Function.class.getName(), "(" + COMMAND + "=" + name + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad command name " + name, e);
        }
        if (refs == null || refs.length == 0) {
            err.println("symphony " + name + ": not available yet — no bundle in this feature provides the '"
                    + name + "' command.");
            return EXIT_NOT_AVAILABLE;
        }
        Function<Object, Object> command = (Function<Object, Object>) context.getService(refs[0]);
        try {
            Object code = command.apply(args);
            return code instanceof Integer i ? i : 0;
        } finally {
            context.ungetService(refs[0]);
        }
    }
}
