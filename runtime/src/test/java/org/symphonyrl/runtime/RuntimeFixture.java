package org.symphonyrl.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Boots the real runtime in the test JVM from the distribution Maven assembled in target/dist,
 * with the project's own feature files. Tests talk to bundle services reflectively or through
 * java.* types, because the test class path's copies of the api classes are not the bundles'.
 */
public final class RuntimeFixture {

    /** The project root (the runtime module's parent). */
    public static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    /** The assembled bundles. */
    public static final Path BUNDLES = Path.of("target/dist/bundles").toAbsolutePath();

    private RuntimeFixture() {
    }

    /** Reads features/NAME.json. */
    public static Feature feature(String name) {
        try {
            return Feature.read(HOME.resolve("features").resolve(name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a feature with extra framework properties. */
    public static RuntimeFramework start(Feature feature, Map<String, String> properties) throws StartFailure {
        return RuntimeFramework.start(HOME, BUNDLES, feature, properties);
    }

    /** Starts the default feature. */
    public static RuntimeFramework startDefault() throws StartFailure {
        return start(feature("default"), Map.of());
    }

    /** The bundle with {@code symbolicName}. */
    public static Bundle bundle(BundleContext ctx, String symbolicName) {
        for (Bundle b : ctx.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** The service object registered under {@code objectClass} (and matching {@code filter}, may be null). */
    public static Object service(BundleContext ctx, String objectClass, String filter) {
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(objectClass, filter);
            if (refs == null) {
                throw new AssertionError("no service " + objectClass + (filter == null ? "" : " " + filter));
            }
            return ctx.getService(refs[0]);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Calls a public method by name on a service object from another class loader. */
    public static Object call(Object target, String method, Object... args) {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    m.setAccessible(true);
                    return m.invoke(target, args);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("calling " + method + " failed", e.getCause() != null ? e.getCause() : e);
                }
            }
        }
        throw new AssertionError("no method " + method + "/" + args.length + " on " + target.getClass());
    }
}
