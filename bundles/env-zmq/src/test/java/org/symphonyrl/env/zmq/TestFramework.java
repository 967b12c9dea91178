package org.symphonyrl.env.zmq;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * A real Felix with Declarative Services and this module's bundle (jarred from target/classes, whose manifest
 * bnd wrote), as the runtime starts it. The api package comes from the class path (system bundle), so the
 * test can use the services it finds.
 */
final class TestFramework implements AutoCloseable {

    private final Framework framework;
    private final Path storage;

    TestFramework(Map<String, String> properties) throws Exception {
        storage = Files.createTempDirectory("symphony-osgi-test");
        Map<String, String> config = new HashMap<>(properties);
        config.put("org.osgi.framework.storage", storage.toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        config.put("org.osgi.framework.system.packages.extra",
                "org.symphonyrl.api;version=1.1.0,org.symphonyrl.api.random;version=1.0.0");
        framework = new org.apache.felix.framework.FrameworkFactory().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        // jnacl (JeroMQ's CURVE cryptography) before JeroMQ, whose import of it is optional
        for (Class<?> inJar : List.of(org.osgi.util.function.Function.class, org.osgi.util.promise.Promise.class,
                org.osgi.service.component.ComponentContext.class, org.apache.felix.scr.info.ScrInfo.class,
                com.google.gson.Gson.class, Class.forName("com.neilalexander.jnacl.crypto.salsa20"), org.zeromq.ZMQ.class)) {
            bundles.add(context.installBundle(jarOf(inJar).toUri().toString()));
        }
        bundles.add(context.installBundle(moduleBundle().toUri().toString()));
        for (Bundle bundle : bundles) {
            bundle.start();
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private Path moduleBundle() throws IOException {
        Path classes = Path.of("target/classes").toAbsolutePath();
        Path jar = storage.resolve("symphony-env-zmq.jar");
        Manifest manifest;
        try (var in = Files.newInputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (!name.equals("META-INF/MANIFEST.MF")) {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(file, (OutputStream) out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    @Override
    public void close() throws BundleException, InterruptedException, IOException {
        framework.stop();
        framework.waitForStop(10_000);
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
