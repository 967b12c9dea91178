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

/** {@code symphony list}: what the running feature offers, read from service properties only. */
@Command(name = "list", description = "List environments, presets, replay buffers, agents and bundles (with versions).")
final class ListCommand implements Callable<Integer> {

    private final Main main;

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
            out.println("Presets:       " + values(ctx, "symphony.preset"));
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
        ServiceReference<?>[] refs;
        try {
            refs = ctx.getAllServiceReferences(null, "(" + property + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                Object v = r.getProperty(property);
                List<Object> list = new ArrayList<>();
                if (v instanceof Object[] a) {
                    list.addAll(Arrays.asList(a));
                } else if (v instanceof Iterable<?> it) {
                    it.forEach(list::add);
                } else {
                    list.add(v);
                }
                list.forEach(x -> values.add(String.valueOf(x)));
            }
        }
        return values.isEmpty() ? "(none)" : String.join(", ", values);
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
