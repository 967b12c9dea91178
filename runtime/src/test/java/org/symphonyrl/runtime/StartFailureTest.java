package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broken feature fails before anything runs, with a message naming the bundle and what it lacks. */
@Timeout(120)
class StartFailureTest {

    @Test
    void aFeatureNamingAMissingBundleSaysWhichAndWhereItLooked() {
        Feature feature = new Feature("broken", "", List.of("org.osgi.util.function", "no-such-bundle"), Map.of());
        StartFailure f = assertThrows(StartFailure.class, () -> RuntimeFixture.start(feature, Map.of()));
        assertTrue(f.getMessage().contains("feature 'broken' names bundle 'no-such-bundle', but there is no no-such-bundle.jar in "
                + RuntimeFixture.BUNDLES), f.getMessage());
        assertTrue(f.getMessage().contains("available: "), f.getMessage());
    }

    @Test
    void aBundleWithAnUnresolvableImportIsNamedWithThePackageItLacks(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("needs-missing.jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "test.needs.missing");
        a.putValue("Bundle-Version", "1.2.3");
        a.putValue("Import-Package", "org.osgi.framework,org.example.missing;version=\"[1.0,2)\"");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        List<String> bundles = new ArrayList<>(RuntimeFixture.feature("default").bundles());
        bundles.add(jar.toString());
        Feature feature = new Feature("with-broken", "", bundles, Map.of());

        StartFailure f = assertThrows(StartFailure.class, () -> RuntimeFixture.start(feature, Map.of()));
        String m = f.getMessage();
        assertTrue(m.startsWith("feature 'with-broken' cannot resolve:"), m);
        assertTrue(m.contains("needs-missing.jar (test.needs.missing 1.2.3) lacks package org.example.missing (version >= 1.0.0, < 2.0.0)"), m);
        assertTrue(m.lines().count() == 2, "only the broken bundle is named: " + m);
    }

    @Test
    void aBundleRequiringAServiceNobodyRegistersIsNamedWithTheService(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("needs-service.jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "test.needs.service");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Require-Capability", "osgi.service;filter:=\"(objectClass=org.example.Missing)\";effective:=active");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        Feature feature = new Feature("needs-service", "", List.of("org.osgi.util.function", jar.toString()), Map.of());
        StartFailure f = assertThrows(StartFailure.class,
                () -> RuntimeFixture.start(feature, Map.of(RuntimeFramework.SETTLE_SECONDS, "1")));
        assertTrue(f.getMessage().contains("needs-service.jar (test.needs.service 1.0.0) lacks service (objectClass=org.example.Missing)"),
                f.getMessage());
    }
}
