package org.symphonyrl.trainer;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.symphonyrl.api.TrainingListener;

/**
 * Sends a run's events to the run's own listeners (logs, console) and to every {@link TrainingListener}
 * service. A service that throws is reported once on the console and does not stop the run. Why an episode
 * was cut, and console notices, go to the run's own listeners only ({@link RunListener}).
 */
final class RunEvents implements RunListener {

    private final List<RunListener> own;
    private final Supplier<List<TrainingListener>> services;
    private final Set<TrainingListener> reported = Collections.newSetFromMap(new IdentityHashMap<>());

    RunEvents(List<TrainingListener> own, Supplier<List<TrainingListener>> services) {
        this.own = own.stream().map(RunListener::of).toList();
        this.services = services;
    }

    @Override
    public void onStep(StepEvent e) {
        send(l -> l.onStep(e));
    }

    @Override
    public void onEpisode(EpisodeEvent e) {
        onEpisodeEnd(e, EpisodeCut.NONE, 0);
    }

    @Override
    public void onEpisodeEnd(EpisodeEvent e, EpisodeCut cut, int nonFinite) {
        own.forEach(l -> l.onEpisodeEnd(e, cut, nonFinite));
        toServices(l -> l.onEpisode(e));
    }

    @Override
    public void onNotice(String line) {
        own.forEach(l -> l.onNotice(line));
    }

    @Override
    public void onEvaluation(EvaluationEvent e) {
        send(l -> l.onEvaluation(e));
    }

    @Override
    public void onSwap(SwapEvent e) {
        send(l -> l.onSwap(e));
    }

    private void send(Consumer<TrainingListener> event) {
        own.forEach(event);
        toServices(event);
    }

    private void toServices(Consumer<TrainingListener> event) {
        for (TrainingListener l : services.get()) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                if (reported.add(l)) {
                    System.err.println("symphony: training listener " + l.getClass().getName() + " failed: " + e
                            + " (further failures of it are not reported)");
                }
            }
        }
    }
}
