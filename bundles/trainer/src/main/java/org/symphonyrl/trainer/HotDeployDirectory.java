package org.symphonyrl.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code RUN_DIR/hot-deploy/}, watched while the run is alive (polled every {@value #POLL_MILLIS} ms):
 * <ul>
 *   <li>{@code NAME.jar}: update the installed bundle with the jar's Bundle-SymbolicName from it;</li>
 *   <li>{@code KIND.buffer} (e.g. an empty file {@code uniform.buffer}): swap the buffer to that kind.</li>
 * </ul>
 * A file is taken once its size and modification time have stayed the same over one poll (so a jar still
 * being copied is not read half-way). When the swap is done the file moves to {@code applied/}; if it
 * failed, to {@code failed/} with the reason in {@code NAME.error}. The directory is created 0700, and a
 * file that another user owns or could have written (or a directory others can write) is never taken: it
 * moves to {@code failed/} with the reason, since a jar dropped here runs inside the owner's runtime.
 *
 * <p>This watcher, not Felix FileInstall, serves the run's directory: a swap must happen on the training
 * thread at a step boundary, with the snapshot carried across, which FileInstall's install-and-start cannot
 * do. The runtime ships no FileInstall at all, so no other folder is ever watched for code.
 */
final class HotDeployDirectory implements AutoCloseable {

    static final String DIRECTORY = "hot-deploy";
    static final long POLL_MILLIS = 500;

    private final Path directory;
    private final Consumer<SwapRequest> swaps;
    private final Map<Path, String> seen = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    HotDeployDirectory(Path runDir, Consumer<SwapRequest> swaps) throws IOException {
        this.directory = runDir.resolve(DIRECTORY);
        PrivateFiles.createDirectories(directory);
        this.swaps = swaps;
        thread = new Thread(this::watch, "symphony-hot-deploy");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MILLIS);
                poll();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                System.err.println("symphony: hot-deploy directory " + directory + ": " + e.getMessage());
            }
        }
    }

    private void poll() throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        seen.keySet().retainAll(files);
        for (Path file : files) {
            String name = file.getFileName().toString();
            SwapRequest request = name.endsWith(".jar") ? SwapRequest.bundle(file)
                    : name.endsWith(".buffer") ? SwapRequest.buffer(name.substring(0, name.length() - ".buffer".length()))
                    : null;
            if (request == null) {
                continue;
            }
            String signature = Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
            if (!signature.equals(seen.put(file, signature))) {
                continue; // new or still changing: look again at the next poll
            }
            seen.remove(file);
            try {
                PrivateFiles.checkTrusted(directory, "hot-deploy directory");
                PrivateFiles.checkTrusted(file, "hot-deploy file");
            } catch (PrivateFiles.UntrustedFileException e) {
                failed(file, e.getMessage());
                continue;
            }
            swaps.accept(request);
            try {
                request.result().get();
                move(file, "applied");
            } catch (ExecutionException e) {
                failed(file, e.getCause().getMessage());
            }
        }
    }

    private void failed(Path file, String reason) throws IOException {
        String name = file.getFileName().toString();
        Path failed = move(file, "failed");
        PrivateFiles.writeAtomically(failed.resolveSibling(name + ".error"), (reason + "\n").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        System.err.println("symphony: hot-deploy " + name + " failed: " + reason);
    }

    private Path move(Path file, String folder) throws IOException {
        Path target = directory.resolve(folder).resolve(file.getFileName());
        PrivateFiles.createDirectories(target.getParent());
        return Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
