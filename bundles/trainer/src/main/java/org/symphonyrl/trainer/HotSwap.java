package org.symphonyrl.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.symphonyrl.api.Agent;
import org.symphonyrl.api.AgentFactory;
import org.symphonyrl.api.AgentSnapshot;
import org.symphonyrl.api.BufferSnapshot;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;
import org.symphonyrl.api.ReplayBuffer;
import org.symphonyrl.api.ReplayBufferFactory;
import org.symphonyrl.api.TrainingListener;
import org.symphonyrl.api.TrainingListener.SwapEvent;

/**
 * Carries out swap requests on the training thread, between two steps, so the run continues at the same
 * step with the same state:
 * <ul>
 *   <li><b>buffer kind</b>: the buffer's {@link BufferSnapshot} is restored into a new buffer of the other
 *       kind, which replaces it; if anything fails the old buffer stays.</li>
 *   <li><b>bundle update</b> from a jar: the agent (and the buffer, if that bundle provides it) is
 *       snapshotted and closed, the bundle is updated from the jar and refreshed, the new revision's
 *       factory builds a new agent and the snapshot is restored into it. The snapshot holds api types
 *       only, so nothing of the old class loader survives. A fingerprint (SHA-256 over every tensor,
 *       scalar and random-state word) of the snapshot before and of the new agent's snapshot after is
 *       compared and reported. If the update fails, Felix keeps the old revision, whose factory then
 *       takes the snapshot back.</li>
 * </ul>
 */
final class HotSwap {

    /** How long a factory may take to reappear after its bundle was updated. */
    static final long FACTORY_WAIT_MILLIS = 60_000;

    private final ConcurrentLinkedQueue<SwapRequest> pending = new ConcurrentLinkedQueue<>();
    private final Services services;
    private final TrainingLoop loop;
    private final EnvSpec spec;
    private final Hyperparameters params;
    private final RunStreams streams;
    private final String agentKind;
    private final TrainingListener events;

    HotSwap(Services services, TrainingLoop loop, EnvSpec spec, Hyperparameters params, RunStreams streams,
            String agentKind, TrainingListener events) {
        this.services = services;
        this.loop = loop;
        this.spec = spec;
        this.params = params;
        this.streams = streams;
        this.agentKind = agentKind;
        this.events = events;
    }

    /** Queues a request; any thread. */
    void submit(SwapRequest request) {
        pending.add(request);
    }

    /** Carries out every queued request; the training thread, between two steps. */
    void atStepBoundary() {
        SwapRequest r;
        while ((r = pending.poll()) != null) {
            try {
                r.result().complete(r.bufferKind() != null ? swapBuffer(r.bufferKind()) : updateBundle(r.bundleJar()));
            } catch (RunCannotContinue e) {
                r.result().completeExceptionally(e);
                throw e;
            } catch (Exception | LinkageError e) {
                r.result().completeExceptionally(e);
            }
        }
    }

    /** Fails every request still queued (the run is over). */
    void cancelPending() {
        SwapRequest r;
        while ((r = pending.poll()) != null) {
            r.result().completeExceptionally(new IllegalStateException("the run ended before the swap"));
        }
    }

    private String swapBuffer(String kind) {
        ReplayBuffer old = loop.buffer();
        if (old.kind().equals(kind)) {
            return "the buffer already is " + kind + "; nothing to do";
        }
        ReplayBufferFactory factory = services.bufferFactory(kind);
        BufferSnapshot snapshot = old.snapshot();
        ReplayBuffer replacement = factory.create(spec, params, streams.bufferSeed());
        replacement.restore(snapshot);
        loop.replaceBuffer(replacement);
        SwapEvent event = new SwapEvent(loop.steps(), "buffer", old.kind(), kind);
        events.onSwap(event);
        return "step " + loop.steps() + ": buffer " + old.kind() + " -> " + kind + " with " + snapshot.size()
                + " transitions";
    }

    private String updateBundle(Path jar) throws IOException, BundleException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no such jar: " + jar);
        }
        String symbolicName = symbolicName(jar);
        Bundle target = null;
        for (Bundle b : services.context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                target = b;
            }
        }
        if (target == null) {
            throw new IllegalArgumentException(jar + " is bundle " + symbolicName
                    + ", which is not installed in this runtime (installed: " + services.bundleVersions().keySet() + ")");
        }
        if (target.equals(services.context().getBundle())) {
            throw new IllegalArgumentException("the trainer cannot update itself during a run");
        }
        String bufferKind = loop.buffer().kind();
        boolean agentMoves = target.equals(services.bundleOf(AgentFactory.class, AgentFactory.KIND, agentKind));
        boolean bufferMoves = target.equals(services.bundleOf(ReplayBufferFactory.class, ReplayBufferFactory.KIND,
                bufferKind));
        AgentSnapshot agentState = agentMoves ? loop.agent().snapshot() : null;
        BufferSnapshot bufferState = bufferMoves ? loop.buffer().snapshot() : null;
        String before = agentMoves ? Fingerprint.of(agentState) : null;
        String fromVersion = target.getVersion().toString();
        if (agentMoves) {
            loop.agent().close();
        }
        BundleException failure = null;
        try (InputStream in = Files.newInputStream(jar)) {
            target.update(in);
        } catch (BundleException e) {
            failure = e; // Felix keeps the previous revision; its factory takes the snapshot back below
        }
        refresh(target);
        String after = null;
        if (agentMoves) {
            AgentFactory factory = await(() -> services.agentFactory(agentKind), "agent factory of kind " + agentKind);
            Agent agent = factory.create(spec, params, streams.agentSeed());
            agent.restore(agentState);
            after = Fingerprint.of(agent.snapshot());
            loop.replaceAgent(agent);
        }
        if (bufferMoves) {
            ReplayBufferFactory factory = await(() -> services.bufferFactory(bufferKind),
                    "buffer factory of kind " + bufferKind);
            ReplayBuffer buffer = factory.create(spec, params, streams.bufferSeed());
            buffer.restore(bufferState);
            loop.replaceBuffer(buffer);
        }
        if (failure != null) {
            throw new IllegalStateException("updating " + symbolicName + " from " + jar + " failed: "
                    + failure.getMessage() + "; the run continues with the previous revision", failure);
        }
        String state = !agentMoves ? "no agent state involved"
                : before.equals(after) ? "agent state identical (sha256 " + before.substring(0, 16) + ")"
                : "AGENT STATE DIFFERS after restore (sha256 " + before.substring(0, 16) + " before, "
                  + after.substring(0, 16) + " after)";
        String what = agentMoves ? "agent" : bufferMoves ? "buffer" : "bundle";
        events.onSwap(new SwapEvent(loop.steps(), what, symbolicName + " " + fromVersion,
                symbolicName + " " + target.getVersion() + " [" + state + "]"));
        return "step " + loop.steps() + ": updated " + symbolicName + " " + fromVersion + " -> " + target.getVersion()
                + " from " + jar.getFileName() + "; " + state;
    }

    private void refresh(Bundle target) throws InterruptedException {
        FrameworkWiring wiring = services.context().getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(target), e -> done.countDown());
        if (!done.await(FACTORY_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("refreshing " + target.getSymbolicName() + " did not finish within "
                    + FACTORY_WAIT_MILLIS / 1000 + " s");
        }
    }

    /**
     * The factory {@code lookup} finds, retried until it comes back (a refreshed bundle registers its
     * services again asynchronously) or {@link #FACTORY_WAIT_MILLIS} have passed.
     */
    private static <T> T await(Supplier<T> lookup, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + FACTORY_WAIT_MILLIS;
        while (true) {
            try {
                return lookup.get();
            } catch (IllegalArgumentException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw new RunCannotContinue("no " + what + " came back within " + FACTORY_WAIT_MILLIS / 1000
                            + " s of the update; the run stops (its last checkpoint is kept)", notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /** The jar's Bundle-SymbolicName, without directives; a file that is not a bundle jar is bad input. */
    static String symbolicName(Path jar) throws IOException {
        String name;
        try (JarFile jf = new JarFile(jar.toFile())) {
            name = jf.getManifest() == null ? null : jf.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(jar + " is not a jar (" + e.getMessage() + ")", e);
        }
        if (name == null) {
            throw new IllegalArgumentException(jar + " is not an OSGi bundle (no Bundle-SymbolicName in its manifest)");
        }
        return name.split(";")[0].trim();
    }

    /** A swap failed after the agent was closed and nothing replaced it: the run must stop. */
    static final class RunCannotContinue extends IllegalStateException {
        RunCannotContinue(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
