package org.symphonyrl.env.zmq;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.symphonyrl.api.EnvironmentFactory;

/**
 * The robot adapters announced to this user: the files {@code adapters/<id>.json} of the per-user directory
 * (docs/robots.md, docs/security.md). No socket is bound: every runtime of the user sees the same adapters, and
 * only the user can write there. The directory is read every {@value #POLL_MS} ms.
 *
 * <p>An announce is refused, with one console line (not one per scan), when its file has another owner or is open
 * to group or others, when it is malformed (id, endpoint, CURVE key), when a non-loopback endpoint has no CURVE
 * key, when its heartbeat expired ({@value #TTL_MS}, default 3000) or its local process is dead, and when its id
 * is one that another factory lists explicitly (Pendulum-v1, Hopper-v5, ...) unless {@value #SHADOW} names it.
 * Otherwise it is probed, concurrently on a bounded pool and with a short timeout (handshake only: never a make,
 * so nothing is left open on the robot); a usable adapter becomes an {@link EnvironmentFactory} service with
 * {@code symphony.env.ids=[id]}, {@code symphony.env.source=adapter}, {@value #ENV_ENDPOINT} and a ranking above
 * the Gymnasium pattern. The service goes when the file goes or expires.
 */
@Component(immediate = true, service = {})
public final class AdapterRegistry {

    public static final String TTL_MS = "symphony.registry.ttl.ms";
    /** Comma-separated adapter ids that may take over an id another factory lists explicitly. */
    public static final String SHADOW = "symphony.registry.shadow";
    /** Service property of an adapter's factory: the adapter's endpoint. */
    public static final String ENV_ENDPOINT = "symphony.env.endpoint";
    /** The value of {@link EnvironmentFactory#SOURCE} for robot adapters. */
    public static final String SOURCE_ADAPTER = "adapter";

    static final long POLL_MS = 200;
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final int PROBE_THREADS = 4;
    /** A probe that failed is tried again after this long, while the announce stays fresh. */
    static final long RETRY_MS = 5000;

    /** What the registry knows of one announce file. */
    private static final class Entry {
        final AdapterAnnounce announce;
        AdapterEnvironmentFactory factory;
        ServiceRegistration<EnvironmentFactory> registration;
        boolean probing;
        long nextProbe;

        Entry(AdapterAnnounce announce) {
            this.announce = announce;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Set<String> said = new HashSet<>();
    private BundleContext context;
    private BridgeSettings settings;
    private long ttlMs;
    private Set<String> shadow;
    private ScheduledExecutorService scanner;
    private ThreadPoolExecutor probes;
    private Consumer<String> console = line -> System.err.println("symphony: " + line);
    private volatile boolean active;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String ttl = property(TTL_MS);
        try {
            ttlMs = ttl == null ? 3000 : Long.parseLong(ttl);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TTL_MS + " must be a whole number of milliseconds, got '" + ttl + "'");
        }
        shadow = Set.copyOf(BridgeSettings.names(property(SHADOW)));
        settings = BridgeSettings.from(this::property); // for the per-user directory and the allow-lists
        probes = new ThreadPoolExecutor(PROBE_THREADS, PROBE_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), daemon("symphony-adapter-probe"));
        probes.allowCoreThreadTimeOut(true);
        scanner = Executors.newSingleThreadScheduledExecutor(daemon("symphony-adapter-registry"));
        active = true;
        scanner.scheduleWithFixedDelay(this::scan, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    private String property(String key) {
        String value = context.getProperty(key); // framework properties, then system properties
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Deactivate
    void deactivate() {
        active = false;
        scanner.shutdownNow();
        probes.shutdownNow();
        try {
            scanner.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            entries.values().forEach(e -> retire(e, "the runtime's adapter registry stopped", false));
            entries.clear();
        }
    }

    /** One look at the directory: new, changed, stale and removed announces. */
    synchronized void scan() {
        if (!active) {
            return;
        }
        Path dir;
        try {
            dir = settings.userDirectory().existingAdapters();
        } catch (PrivateFiles.NotPrivateException | IOException e) {
            sayOnce("robot adapters ignored: " + e.getMessage());
            return;
        }
        if (dir == null) { // no adapter was ever announced here
            entries.values().forEach(e -> retire(e, "the adapters directory was removed", true));
            entries.clear();
            return;
        }
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".")) { // an adapter's temporary file before its rename
                    present.add(name);
                    look(file, name);
                }
            }
        } catch (IOException e) {
            sayOnce("cannot read " + dir + ": " + e.getMessage());
            return;
        }
        entries.keySet().removeIf(name -> {
            if (!present.contains(name)) {
                retire(entries.get(name), "its announce file was removed", true);
                return true;
            }
            return false;
        });
    }

    private void look(Path file, String name) {
        Entry entry = entries.get(name);
        try {
            Map<String, Object> attributes = AdapterAnnounce.attributes(file);
            if (entry == null || !entry.announce.fileKey().equals(attributes.get("fileKey"))) {
                AdapterAnnounce announce = AdapterAnnounce.read(file, attributes); // new, or replaced by a rename
                drop(name, "replaced by a new announce");
                entry = new Entry(announce);
                entries.put(name, entry);
            }
            String stale = entry.announce.stale((FileTime) attributes.get("lastModifiedTime"), ttlMs);
            if (stale == null) {
                stale = shadowing(entry.announce.id());
            }
            if (stale != null) {
                retire(entry, stale, true);
                sayOnce("robot adapter " + entry.announce.id() + " at " + entry.announce.endpoint() + " ignored: "
                        + stale + " (" + file + ")");
                return;
            }
            if (entry.registration == null && !entry.probing && System.currentTimeMillis() >= entry.nextProbe) {
                probe(name, entry);
            }
        } catch (AdapterAnnounce.Refused e) {
            drop(name, "its announce file is no longer acceptable");
            sayOnce("robot adapter announce refused: " + e.getMessage());
        } catch (NoSuchFileException vanished) {
            drop(name, "its announce file was removed");
        } catch (IOException e) {
            sayOnce("cannot read the robot adapter announce " + file + ": " + e.getMessage());
        }
    }

    /** Why {@code id} may not be served by an adapter: another factory lists it explicitly; or null. */
    private String shadowing(String id) {
        if (shadow.contains(id)) {
            return null;
        }
        try {
            Collection<ServiceReference<EnvironmentFactory>> factories = context.getServiceReferences(
                    EnvironmentFactory.class, "(!(" + EnvironmentFactory.SOURCE + "=" + SOURCE_ADAPTER + "))");
            for (ServiceReference<EnvironmentFactory> factory : factories) {
                if (ids(factory.getProperty(EnvironmentFactory.IDS)).contains(id)) {
                    return id + " is served by another environment factory (" + factory.getProperty(EnvironmentFactory.SOURCE)
                            + ", bundle " + factory.getBundle().getSymbolicName() + "); an adapter does not take it "
                            + "over unless the framework property " + SHADOW + " names it";
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // the framework is stopping
        }
        return null;
    }

    private static List<String> ids(Object property) {
        List<String> all = property instanceof String[] array ? Arrays.asList(array)
                : property instanceof Collection<?> c ? c.stream().map(String::valueOf).toList()
                : property == null ? List.of() : List.of(property.toString());
        return all.stream().filter(id -> !id.contains("*") && !id.contains("?")).toList();
    }

    private void probe(String name, Entry entry) {
        entry.probing = true;
        try {
            probes.execute(() -> {
                String failure = null;
                byte[] key = null;
                try {
                    key = settings.userDirectory().secret();
                } catch (RuntimeException e) {
                    failure = e.getMessage();
                }
                if (failure == null) {
                    try (BridgeConnection connection = new BridgeConnection(entry.announce.endpoint(), 0, () -> null,
                            CurveClientKeys.forServer(entry.announce.curveKey()), key)) {
                        connection.hello(PROBE_TIMEOUT); // hello, auth and a ping: never a make
                    } catch (RuntimeException e) {
                        failure = e.getMessage();
                    }
                }
                probed(name, entry, failure);
            });
        } catch (RejectedExecutionException full) {
            entry.probing = false; // the next scan tries again
        }
    }

    private synchronized void probed(String name, Entry entry, String failure) {
        entry.probing = false;
        if (!active || entries.get(name) != entry) {
            return; // replaced or removed meanwhile
        }
        AdapterAnnounce announce = entry.announce;
        if (failure != null) {
            entry.nextProbe = System.currentTimeMillis() + RETRY_MS;
            sayOnce("robot adapter " + announce.id() + " at " + announce.endpoint() + " announced but not usable: "
                    + failure);
            return;
        }
        entry.factory = new AdapterEnvironmentFactory(announce, settings);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EnvironmentFactory.IDS, new String[] {announce.id()});
        properties.put(EnvironmentFactory.SOURCE, SOURCE_ADAPTER);
        properties.put(ENV_ENDPOINT, announce.endpoint());
        properties.put("service.ranking", -5); // above the Gymnasium pattern (-10)
        entry.registration = context.registerService(EnvironmentFactory.class, entry.factory, properties);
        console.accept("robot adapter " + announce.id() + " at " + announce.endpoint() + " is available");
    }

    private void drop(String name, String why) {
        Entry old = entries.remove(name);
        if (old != null) {
            retire(old, why, true);
        }
    }

    private void retire(Entry entry, String why, boolean say) {
        if (entry.registration == null) {
            return;
        }
        try {
            entry.registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        entry.factory.retire(why);
        entry.registration = null;
        entry.factory = null;
        if (say) {
            console.accept("robot adapter " + entry.announce.id() + " at " + entry.announce.endpoint() + " went away: "
                    + why);
        }
    }

    /** One console line per distinct message, not one per scan. */
    private void sayOnce(String line) {
        if (said.add(line)) {
            console.accept(line);
        }
    }

    /** For tests: where console lines go. */
    void console(Consumer<String> lines) {
        console = lines;
    }
}
