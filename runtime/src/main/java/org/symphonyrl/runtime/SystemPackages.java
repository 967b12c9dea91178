package org.symphonyrl.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The packages the launcher exports to bundles from its own class path: DJL's API and PyTorch engine.
 * A JNI library can be bound to one class loader only, so DJL and native PyTorch are loaded once, by
 * the launcher, and every agent bundle (including a re-installed one after a hot swap) shares them.
 */
final class SystemPackages {

    /** Jar-name prefixes whose packages are exported, each with the version to export them at. */
    private static final List<String[]> EXPORTED = List.of(
            new String[] {"api-", "ai.djl"},
            new String[] {"pytorch-engine-", "ai.djl.pytorch"});

    private SystemPackages() {
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}, found by scanning the class path. */
    static String extra() {
        Set<String> exports = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            String name = file.getName();
            for (String[] rule : EXPORTED) {
                if (name.startsWith(rule[0]) && name.endsWith(".jar")) {
                    String version = name.substring(rule[0].length(), name.length() - ".jar".length());
                    for (String pkg : packagesOf(file, rule[1])) {
                        exports.add(pkg + ";version=\"" + osgiVersion(version) + "\"");
                    }
                }
            }
        }
        if (exports.isEmpty()) {
            throw new IllegalStateException("DJL (ai.djl api and pytorch-engine jars) is not on the launcher class path: "
                    + "the agent bundles cannot run. Rebuild with ./symphony or check runtime/target/dist/lib.");
        }
        return String.join(",", exports);
    }

    private static Set<String> packagesOf(File jar, String prefix) {
        Set<String> packages = new TreeSet<>();
        try (JarFile jf = new JarFile(jar)) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                String path = e.nextElement().getName();
                if (path.endsWith(".class") && path.indexOf('/') > 0) {
                    String pkg = path.substring(0, path.lastIndexOf('/')).replace('/', '.');
                    if (pkg.startsWith(prefix)) {
                        packages.add(pkg);
                    }
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + jar, ex);
        }
        return packages;
    }

    /** "0.36.0" stays; "2.7.1-0.36.0" or "1.0-SNAPSHOT" become valid OSGi versions. */
    static String osgiVersion(String mavenVersion) {
        String[] parts = mavenVersion.split("[.-]", 4);
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String p = i < parts.length ? parts[i] : "0";
            v.append(i > 0 ? "." : "").append(p.matches("\\d+") ? p : "0");
        }
        return v.toString();
    }
}
