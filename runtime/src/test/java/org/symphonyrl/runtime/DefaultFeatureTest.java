package org.symphonyrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The default feature boots with every bundle ACTIVE, and native PyTorch works inside OSGi across a bundle update. */
@Timeout(180)
class DefaultFeatureTest {

    // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]: A·B = [[58,64],[139,154]] by hand.
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    private static final float[] B = {7, 8, 9, 10, 11, 12};
    private static final float[] AB = {58, 64, 139, 154};

    @Test
    void everyBundleOfTheDefaultFeatureIsActive() throws Exception {
        Feature feature = RuntimeFixture.feature("default");
        try (RuntimeFramework runtime = RuntimeFixture.startDefault()) {
            List<String> notActive = new ArrayList<>();
            for (Bundle b : runtime.bundles()) {
                if (b.getState() != Bundle.ACTIVE) {
                    notActive.add(b.getSymbolicName() + " state " + b.getState());
                }
            }
            assertEquals(feature.bundles().size(), runtime.bundles().size());
            assertTrue(notActive.isEmpty(), "not ACTIVE: " + notActive);
        }
    }

    @Test
    void theFivePresetsAreRegisteredAsServices() throws Exception {
        try (RuntimeFramework runtime = RuntimeFixture.startDefault()) {
            assertEquals("ED, S2, S2-tilde, S3, SE, S~2", ListCommand.values(runtime.context(), "symphony.preset"));
            // what 'list' prints: each preset once, an alias with the name it stands for
            assertEquals("ED, S2, S3, SE, S~2 (also S2-tilde)", ListCommand.names(runtime.context(), "symphony.preset"));
            Object s3 = RuntimeFixture.service(runtime.context(), "org.symphonyrl.api.Preset", "(symphony.preset=S3)");
            Object params = RuntimeFixture.call(s3, "hyperparameters");
            assertEquals(384, RuntimeFixture.call(params, "batchSize"));
        }
    }

    @Test
    void pyTorchMatrixProductRunsInABundleBeforeAndAfterTheBundleIsUpdated() throws Exception {
        try (RuntimeFramework runtime = RuntimeFixture.startDefault()) {
            BundleContext ctx = runtime.context();
            Object engine = RuntimeFixture.service(ctx, "org.symphonyrl.api.ComputeEngine", null);
            assertEquals("PyTorch", RuntimeFixture.call(engine, "name"));
            assertArrayEquals(AB, (float[]) RuntimeFixture.call(engine, "matmul", A, B, 2, 3, 2), 1e-5f);
            ClassLoader before = engine.getClass().getClassLoader();

            Bundle core = RuntimeFixture.bundle(ctx, "org.symphonyrl.core");
            core.stop();
            try (InputStream jar = URI.create(core.getLocation()).toURL().openStream()) {
                core.update(jar);
            }
            core.start();

            Object again = waitForEngine(ctx);
            assertNotSame(before, again.getClass().getClassLoader(), "the update must bring a new class loader");
            assertArrayEquals(AB, (float[]) RuntimeFixture.call(again, "matmul", A, B, 2, 3, 2), 1e-5f);
            assertEquals(Bundle.ACTIVE, core.getState());
        }
    }

    private static Object waitForEngine(BundleContext ctx) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (hasEngine(ctx)) {
                return RuntimeFixture.service(ctx, "org.symphonyrl.api.ComputeEngine", null);
            }
            Thread.sleep(25);
        }
        throw new AssertionError("ComputeEngine did not come back after the update");
    }

    private static boolean hasEngine(BundleContext ctx) {
        try {
            return ctx.getAllServiceReferences("org.symphonyrl.api.ComputeEngine", null) != null;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
