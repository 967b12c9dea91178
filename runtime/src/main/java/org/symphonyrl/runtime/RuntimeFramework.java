package org.symphonyrl.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * An embedded Apache Felix running one feature: installs the feature's bundles, starts them in order,
 * and refuses to run, with a message naming the bundle and what it lacks, when one cannot resolve or a
 * service it requires never appears.
 */
public final class RuntimeFramework implements AutoCloseable {

    /** Framework property: the project root (where .venv, features/ and runs/ live). */
    public static final String HOME = "symphony.home";

    /** Framework property: seconds started bundles get to register the services others require (default 20). */
    public static final String SETTLE_SECONDS = "symphony.settle.seconds";

    private final Framework framework;
    private final Path storage;
    private final List<Bundle> bundles;

    private RuntimeFramework(Framework framework, Path storage, List<Bundle> bundles) {
        this.framework = framework;
        this.storage = storage;
        this.bundles = bundles;
    }

    /**
     * Starts {@code feature} with bundles from {@code bundleDir}.
     *
     * @param home       the project root, published as framework property {@value #HOME}
     * @param bundleDir  the distribution's bundle folder (bundle names resolve to {@code <name>.jar} there)
     * @param properties extra framework properties (override the feature's configuration)
     */
    public static RuntimeFramework start(Path home, Path bundleDir, Feature feature, Map<String, String> properties)
            throws StartFailure {
        Map<String, Path> files = locate(home, bundleDir, feature);
        Path storage;
        try {
            storage = Files.createTempDirectory("symphony-felix-");
        } catch (IOException e) {
            throw new StartFailure("cannot create the framework's storage folder: " + e.getMessage(), e);
        }
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra());
        config.put(HOME, home.toAbsolutePath().normalize().toString());
        config.put("felix.log.level", "1");
        config.putAll(feature.configuration());
        config.putAll(properties);

        Framework framework = new FrameworkFactory().newFramework(config);
        List<Bundle> installed = new ArrayList<>();
        RuntimeFramework runtime = new RuntimeFramework(framework, storage, installed);
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            for (Map.Entry<String, Path> e : files.entrySet()) {
                try {
                    installed.add(context.installBundle(e.getValue().toUri().toString()));
                } catch (BundleException ex) {
                    throw new StartFailure("feature '" + feature.name() + "': bundle '" + e.getKey() + "' ("
                            + e.getValue() + ") cannot be installed: " + ex.getMessage(), ex);
                }
            }
            checkResolution(feature, framework, installed);
            framework.start();
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                    continue;
                }
                try {
                    bundle.start();
                } catch (BundleException ex) {
                    throw new StartFailure("feature '" + feature.name() + "': bundle "
                            + ResolutionDiagnosis.name(bundle) + " failed to start: " + rootMessage(ex), ex);
                }
            }
            checkServices(feature, context, installed,
                    Duration.ofSeconds(Long.parseLong(config.getOrDefault(SETTLE_SECONDS, "20"))));
            return runtime;
        } catch (StartFailure | RuntimeException | Error e) {
            runtime.close();
            throw e;
        } catch (BundleException e) {
            runtime.close();
            throw new StartFailure("the OSGi framework failed to start: " + e.getMessage(), e);
        }
    }

    private static Map<String, Path> locate(Path home, Path bundleDir, Feature feature) throws StartFailure {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : feature.bundles()) {
            Path file = name.endsWith(".jar") ? home.resolve(name) : bundleDir.resolve(name + ".jar");
            if (!Files.isRegularFile(file)) {
                throw new StartFailure("feature '" + feature.name() + "' names bundle '" + name
                        + "', but there is no " + file.getFileName() + " in " + file.getParent()
                        + " (available: " + available(bundleDir) + ")");
            }
            files.put(name, file);
        }
        return files;
    }

    private static String available(Path bundleDir) {
        try (Stream<Path> s = Files.list(bundleDir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.joining(", "));
        } catch (IOException e) {
            return "none: " + bundleDir + " cannot be read";
        }
    }

    private static void checkResolution(Feature feature, Framework framework, List<Bundle> installed)
            throws StartFailure {
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        wiring.resolveBundles(installed);
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : installed) {
            if (bundle.getState() != Bundle.INSTALLED) {
                continue;
            }
            List<String> missing = ResolutionDiagnosis.missingPackages(bundle, wiring);
            problems.add("  " + ResolutionDiagnosis.name(bundle) + (missing.isEmpty()
                    ? " depends on a bundle that cannot resolve"
                    : " lacks " + String.join(", ", missing)
                      + " — no bundle in the feature and not the launcher exports it"));
        }
        if (!problems.isEmpty()) {
            throw new StartFailure("feature '" + feature.name() + "' cannot resolve:\n" + String.join("\n", problems));
        }
    }

    private static void checkServices(Feature feature, BundleContext context, List<Bundle> installed, Duration settle)
            throws StartFailure {
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            List<String> problems = new ArrayList<>();
            for (Bundle bundle : installed) {
                List<String> missing = ResolutionDiagnosis.missingServices(bundle, context);
                if (!missing.isEmpty()) {
                    problems.add("  " + ResolutionDiagnosis.name(bundle) + " lacks " + String.join(", ", missing)
                            + " — no active bundle registers it");
                }
            }
            if (problems.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure("feature '" + feature.name() + "' started, but required services never appeared"
                        + " within " + settle.toSeconds() + " s:\n" + String.join("\n", problems));
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartFailure("interrupted while waiting for services");
            }
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder s = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append(" — caused by ").append(c);
        }
        return s.toString();
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public Framework framework() {
        return framework;
    }

    /** The feature's bundles, in start order. */
    public List<Bundle> bundles() {
        return List.copyOf(bundles);
    }

    /** Stops the framework (every bundle's components deactivate) and deletes its storage. */
    public void stop(Duration timeout) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                framework.stop();
                framework.waitForStop(timeout.toMillis());
            }
        } catch (BundleException e) {
            System.err.println("symphony: framework stop failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteStorage();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(60));
    }

    private void deleteStorage() {
        try (Stream<Path> walk = Files.walk(storage)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
