package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.symphonyrl.api.AgentFactory;
import org.symphonyrl.api.EnvironmentFactory;
import org.symphonyrl.api.Preset;
import org.symphonyrl.api.PresetReader;
import org.symphonyrl.api.ReplayBufferFactory;
import org.symphonyrl.api.TrainingListener;

/**
 * The api services a run uses, looked up when needed (not held), because a hot swap replaces them:
 * after a bundle update the factory of the same kind is a new service object from a new class loader.
 * Every "not found" names what is available.
 */
final class Services {

    private final BundleContext context;

    Services(BundleContext context) {
        this.context = context;
    }

    BundleContext context() {
        return context;
    }

    /** The factory for {@code id}: one that lists it among its ids first (embedded), then one whose pattern matches. */
    EnvironmentFactory environmentFactory(String id) {
        List<EnvironmentFactory> all = all(EnvironmentFactory.class, null);
        for (EnvironmentFactory f : all) {
            if (f.ids().contains(id)) {
                return f;
            }
        }
        for (EnvironmentFactory f : all) {
            if (f.supports(id)) {
                return f;
            }
        }
        TreeSet<String> known = new TreeSet<>();
        all.forEach(f -> known.addAll(f.ids()));
        throw new IllegalArgumentException("unknown environment '" + id + "'; available: "
                + (known.isEmpty() ? "(no environment bundle is running)" : String.join(", ", known)));
    }

    AgentFactory agentFactory(String kind) {
        return one(AgentFactory.class, AgentFactory.KIND, kind, "agent kind");
    }

    ReplayBufferFactory bufferFactory(String kind) {
        return one(ReplayBufferFactory.class, ReplayBufferFactory.KIND, kind, "buffer kind");
    }

    /** The bundle that registers the {@code kind} factory of {@code type}, or null. */
    Bundle bundleOf(Class<?> type, String property, String kind) {
        ServiceReference<?> ref = first(refs(type, "(" + property + "=" + kind + ")"));
        return ref == null ? null : ref.getBundle();
    }

    /**
     * A preset by name (case-insensitive; a shipped one or an alias) or, when {@code nameOrFile} ends in
     * {@code .json} or names an existing file, read from that file by the {@link PresetReader} service.
     */
    Preset preset(String nameOrFile, Path workingDir) throws IOException {
        Path file = workingDir.resolve(nameOrFile);
        if (nameOrFile.endsWith(".json") || Files.isRegularFile(file)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("preset file " + file + " does not exist");
            }
            PresetReader reader = one(PresetReader.class, null, null, "preset reader");
            return reader.read(file);
        }
        Map<String, Preset> presets = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (ServiceReference<Preset> ref : refs(Preset.class, null)) {
            Preset p = context.getService(ref);
            if (p != null) {
                for (String name : names(ref.getProperty(Preset.NAME))) {
                    presets.putIfAbsent(name, p);
                }
            }
        }
        Preset p = presets.get(nameOrFile);
        if (p == null) {
            throw new IllegalArgumentException("unknown preset '" + nameOrFile + "'; available: "
                    + (presets.isEmpty() ? "(no preset bundle is running)" : String.join(", ", presets.keySet()))
                    + ", or a path to a preset JSON file");
        }
        return p;
    }

    /** The TrainingListener services registered now. */
    List<TrainingListener> listeners() {
        return all(TrainingListener.class, null);
    }

    /** Symbolic name → version of every installed bundle. */
    Map<String, String> bundleVersions() {
        Map<String, String> versions = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            versions.put(b.getSymbolicName(), b.getVersion().toString());
        }
        return versions;
    }

    private <T> T one(Class<T> type, String property, String value, String what) {
        String filter = property == null ? null : "(" + property + "=" + value + ")";
        for (ServiceReference<T> ref : refs(type, filter)) {
            T service = context.getService(ref);
            if (service != null) {
                return service;
            }
        }
        if (property == null) {
            throw new IllegalArgumentException("no " + what + " service is running");
        }
        TreeSet<String> available = new TreeSet<>();
        for (ServiceReference<T> ref : refs(type, null)) {
            available.addAll(names(ref.getProperty(property)));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "'; available: "
                + (available.isEmpty() ? "(none is running)" : String.join(", ", available)));
    }

    private <T> List<T> all(Class<T> type, String filter) {
        List<T> services = new ArrayList<>();
        for (ServiceReference<T> ref : refs(type, filter)) {
            T s = context.getService(ref);
            if (s != null) {
                services.add(s);
            }
        }
        return services;
    }

    /** References sorted by ranking, highest first (then lowest service id). */
    private <T> List<ServiceReference<T>> refs(Class<T> type, String filter) {
        try {
            Collection<ServiceReference<T>> refs = context.getServiceReferences(type, filter);
            List<ServiceReference<T>> sorted = new ArrayList<>(refs);
            sorted.sort(Comparator.reverseOrder());
            return sorted;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("'" + filter + "' is not a valid name here", e);
        } catch (IllegalStateException stopping) {
            return List.of(); // the framework is stopping
        }
    }

    private static <T> ServiceReference<T> first(List<ServiceReference<T>> refs) {
        return refs.isEmpty() ? null : refs.get(0);
    }

    private static List<String> names(Object property) {
        List<String> names = new ArrayList<>();
        if (property instanceof String[] a) {
            names.addAll(List.of(a));
        } else if (property instanceof Collection<?> c) {
            c.forEach(x -> names.add(String.valueOf(x)));
        } else if (property != null) {
            names.add(String.valueOf(property));
        }
        return names;
    }
}
