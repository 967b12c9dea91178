package org.symphonyrl.env.zmq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How to reach the bridge, read from framework or system properties (all optional):
 *
 * <ul>
 *   <li>{@code symphony.bridge.endpoint}: a running server (it proves the per-user key); when absent the runtime
 *       starts its own, with a fresh key</li>
 *   <li>{@code symphony.home}: the repository root; the server runs from {@code <home>/.venv/bin/python}</li>
 *   <li>{@code symphony.bridge.python}: another Python executable with symphony_bridge installed</li>
 *   <li>{@code symphony.bridge.timeout.ms} (10000): timeout of one reset or step request</li>
 *   <li>{@code symphony.bridge.make.timeout.ms} (120000): timeout of make and of the server's start</li>
 *   <li>{@code symphony.bridge.retries} (2): resends after a timeout before the server counts as lost</li>
 *   <li>{@code symphony.bridge.curve.serverkey}: the server's CURVE public key (Z85), needed for a non-loopback endpoint</li>
 *   <li>{@code symphony.bridge.allow.modules}, {@code symphony.bridge.allow.kwargs}: comma-separated Python modules
 *       ({@code module:Name-vN} ids) and keyword arguments every make may use (else refused)</li>
 *   <li>{@code symphony.user.dir}: the per-user directory ({@link UserDirectory})</li>
 * </ul>
 */
public record BridgeSettings(String endpoint, Path python, Duration requestTimeout, Duration makeTimeout,
                             int retries, String curveServerKey, UserDirectory userDirectory,
                             List<String> allowModules, List<String> allowKwargs) {

    public static final String ENDPOINT = "symphony.bridge.endpoint";
    public static final String HOME = "symphony.home";
    public static final String PYTHON = "symphony.bridge.python";
    public static final String TIMEOUT_MS = "symphony.bridge.timeout.ms";
    public static final String MAKE_TIMEOUT_MS = "symphony.bridge.make.timeout.ms";
    public static final String RETRIES = "symphony.bridge.retries";
    public static final String CURVE_SERVER_KEY = "symphony.bridge.curve.serverkey";
    public static final String ALLOW_MODULES = "symphony.bridge.allow.modules";
    public static final String ALLOW_KWARGS = "symphony.bridge.allow.kwargs";

    public BridgeSettings {
        if (endpoint == null && python == null) {
            throw new IllegalArgumentException("the bridge needs an endpoint or a Python executable to start a server");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        if (userDirectory == null) {
            userDirectory = UserDirectory.from(System::getProperty);
        }
        allowModules = allowModules == null ? List.of() : List.copyOf(allowModules);
        allowKwargs = allowKwargs == null ? List.of() : List.copyOf(allowKwargs);
    }

    /** Settings with the per-user directory from the system properties and nothing allowed. */
    public BridgeSettings(String endpoint, Path python, Duration requestTimeout, Duration makeTimeout, int retries,
                          String curveServerKey) {
        this(endpoint, python, requestTimeout, makeTimeout, retries, curveServerKey, null, null, null);
    }

    /** A server started from {@code python}, with default timeouts. */
    public static BridgeSettings ownServer(Path python) {
        return new BridgeSettings(null, python, Duration.ofSeconds(10), Duration.ofSeconds(120), 2, null);
    }

    /** Reads the settings from {@code properties} (e.g. {@code BundleContext::getProperty} or {@code System::getProperty}). */
    public static BridgeSettings from(UnaryOperator<String> properties) {
        String endpoint = blankToNull(properties.apply(ENDPOINT));
        Path python = null;
        if (endpoint == null) {
            String explicit = blankToNull(properties.apply(PYTHON));
            python = explicit != null ? Path.of(explicit) : venvPython(properties.apply(HOME));
        }
        return new BridgeSettings(endpoint, python,
                Duration.ofMillis(number(properties, TIMEOUT_MS, 10_000)),
                Duration.ofMillis(number(properties, MAKE_TIMEOUT_MS, 120_000)),
                (int) number(properties, RETRIES, 2), blankToNull(properties.apply(CURVE_SERVER_KEY)),
                UserDirectory.from(properties), names(properties.apply(ALLOW_MODULES)),
                names(properties.apply(ALLOW_KWARGS)));
    }

    /** The project's virtual-environment Python under {@code home} (or the working directory's ancestors). */
    static Path venvPython(String home) {
        if (home != null && !home.isBlank()) {
            return Path.of(home, ".venv", "bin", "python");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".venv/bin/python");
            if (Files.isExecutable(candidate) && Files.isDirectory(dir.resolve("bridge-python"))) {
                return candidate;
            }
        }
        return Path.of(".venv", "bin", "python");
    }

    public BridgeSettings withTimeouts(Duration request, Duration make, int retries) {
        return new BridgeSettings(endpoint, python, request, make, retries, curveServerKey, userDirectory,
                allowModules, allowKwargs);
    }

    /** The same settings with another per-user directory (tests: never the user's real one). */
    public BridgeSettings withUserDirectory(Path directory) {
        return new BridgeSettings(endpoint, python, requestTimeout, makeTimeout, retries, curveServerKey,
                new UserDirectory(directory), allowModules, allowKwargs);
    }

    /** A comma-separated list of names (blank entries dropped); empty for null. */
    static List<String> names(Object commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.toString().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static long number(UnaryOperator<String> properties, String key, long fallback) {
        String value = blankToNull(properties.apply(key));
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
