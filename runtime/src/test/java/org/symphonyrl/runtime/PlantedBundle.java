package org.symphonyrl.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A real bundle jar, compiled in the test, whose activator writes a marker file when the bundle starts:
 * what another local user would plant to get code run inside someone's runtime.
 */
final class PlantedBundle {

    private PlantedBundle() {
    }

    /** Writes the jar to {@code jar}; its activator writes "started" to {@code marker} (an absolute path). */
    static Path write(Path jar, Path marker, Path workDir) throws IOException {
        Path src = workDir.resolve("planted-src/planted/Activator.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package planted;
                public class Activator implements org.osgi.framework.BundleActivator {
                    public void start(org.osgi.framework.BundleContext context) throws Exception {
                        java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "started");
                    }
                    public void stop(org.osgi.framework.BundleContext context) {
                    }
                }
                """.formatted(marker.toAbsolutePath().toString().replace("\\", "\\\\")));
        Path classes = workDir.resolve("planted-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        if (rc != 0) {
            throw new IOException("javac failed for " + src);
        }
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "planted.bundle");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", "planted.Activator");
        a.putValue("Import-Package", "org.osgi.framework");
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            for (String name : List.of("planted/Activator.class")) {
                j.putNextEntry(new JarEntry(name));
                j.write(Files.readAllBytes(classes.resolve(name)));
                j.closeEntry();
            }
        }
        return jar;
    }

    static boolean started(Path marker) throws IOException {
        return Files.exists(marker) && "started".equals(Files.readString(marker, StandardCharsets.UTF_8));
    }
}
