package org.symphonyrl.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code symphony list}: what the running feature offers, read from service properties only. */
@Command(name = "list",
        description = "List environments, presets, replay buffers, agents and bundles (with versions).")
final class ListCommand implements Callable<Integer> {

    private final Main main;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    ListCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(System.out, true);
        RuntimeFramework runtime = main.boot(new PrintWriter(System.err, true));
        if (runtime == null) {
            return Commands.EXIT_START_FAILED;
        }
        try {
            BundleContext ctx = runtime.context();
            out.println("Engine:        " + values(ctx, "symphony.engine"));
            out.println("Agents:        " + values(ctx, "symphony.agent.kind"));
            out.println("Presets:       " + names(ctx, "symphony.preset"));
            out.println("Buffers:       " + values(ctx, "replay.kind"));
            out.println("Environments:  " + values(ctx, "symphony.env.ids"));
            out.println("Commands:      " + values(ctx, Commands.COMMAND));
            out.println("Bundles:");
            for (Bundle b : ctx.getBundles()) {
                out.printf("  %-36s %-28s %s%n", b.getSymbolicName(), b.getVersion(), state(b.getState()));
            }
            return 0;
        } finally {
            runtime.close();
        }
    }

    /** Every value of {@code property} over all services that carry it, sorted. */
    static String values(BundleContext ctx, String property) {
        TreeSet<String> values = new TreeSet<>();
        for (ServiceReference<?> r : references(ctx, property)) {
            values.addAll(valuesOf(r, property));
        }
        return values.isEmpty() ? "(none)" : String.join(", ", values);
    }

    /**
     * One entry per service, sorted: a service whose {@code property} holds several values (a name, then its
     * aliases, as a preset's) is listed once by its first value, with the others in parentheses.
     */
    static String names(BundleContext ctx, String property) {
        TreeSet<String> names = new TreeSet<>();
        for (ServiceReference<?> r : references(ctx, property)) {
            List<String> values = valuesOf(r, property);
            names.add(values.size() == 1 ? values.get(0)
                    : values.get(0) + " (also " + String.join(", ", values.subList(1, values.size())) + ")");
        }
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static List<ServiceReference<?>> references(BundleContext ctx, String property) {
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(null, "(" + property + "=*)");
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> valuesOf(ServiceReference<?> r, String property) {
        Object v = r.getProperty(property);
        List<Object> list = new ArrayList<>();
        if (v instanceof Object[] a) {
            list.addAll(Arrays.asList(a));
        } else if (v instanceof Iterable<?> it) {
            it.forEach(list::add);
        } else {
            list.add(v);
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
