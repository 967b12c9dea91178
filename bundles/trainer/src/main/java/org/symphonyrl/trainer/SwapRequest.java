package org.symphonyrl.trainer;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A hot swap asked for by {@code symphony swap} (control socket) or the hot-deploy directory, carried out
 * by the training thread at the next step boundary. Exactly one of {@code bufferKind} and {@code bundleJar}
 * is set; {@code result} completes with a one-line report, or exceptionally with the reason it failed
 * (the run then continues unchanged).
 */
record SwapRequest(String bufferKind, Path bundleJar, CompletableFuture<String> result) {

    static SwapRequest buffer(String kind) {
        return new SwapRequest(kind, null, new CompletableFuture<>());
    }

    static SwapRequest bundle(Path jar) {
        return new SwapRequest(null, jar, new CompletableFuture<>());
    }

    @Override
    public String toString() {
        return bufferKind != null ? "buffer " + bufferKind : "bundle " + bundleJar;
    }
}
