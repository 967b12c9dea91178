package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.TrainingListener;

class RunEventsTest {

    @Test
    void everyListenerServiceGetsEveryEventAndOneThatThrowsDoesNotStopTheOthers() {
        List<String> seen = new ArrayList<>();
        TrainingListener own = new TrainingListener() {
            @Override
            public void onSwap(SwapEvent e) {
                seen.add("own " + e.what());
            }
        };
        TrainingListener broken = new TrainingListener() {
            @Override
            public void onEpisode(EpisodeEvent e) {
                throw new IllegalStateException("listener bug");
            }
        };
        TrainingListener service = new TrainingListener() {
            @Override
            public void onEpisode(EpisodeEvent e) {
                seen.add("service episode " + e.episode());
            }

            @Override
            public void onSwap(SwapEvent e) {
                seen.add("service " + e.what());
            }
        };
        RunEvents events = new RunEvents(List.of(own), () -> List.of(broken, service));
        events.onEpisode(new TrainingListener.EpisodeEvent(1, 200, -1000, 200, false, 0.4, 0.1, 0, false));
        events.onEpisode(new TrainingListener.EpisodeEvent(2, 400, -900, 200, false, 0.4, 0.1, 0, false));
        events.onSwap(new TrainingListener.SwapEvent(400, "buffer", "fading", "uniform"));
        assertEquals(List.of("service episode 1", "service episode 2", "own buffer", "service buffer"), seen);
    }

    @Test
    void whyAnEpisodeWasCutAndConsoleNoticesReachTheRunsOwnListenersOnly() {
        List<String> seen = new ArrayList<>();
        RunListener own = new RunListener() {
            @Override
            public void onEpisodeEnd(EpisodeEvent e, EpisodeCut cut, int nonFinite) {
                seen.add("own episode " + e.episode() + " " + cut.word + " " + nonFinite);
            }

            @Override
            public void onNotice(String line) {
                seen.add("own notice " + line);
            }
        };
        TrainingListener service = new TrainingListener() {
            @Override
            public void onEpisode(EpisodeEvent e) {
                seen.add("service episode " + e.episode());
            }
        };
        RunEvents events = new RunEvents(List.of(own), () -> List.of(service));
        events.onEpisodeEnd(new TrainingListener.EpisodeEvent(1, 12, -3, 12, false, 0.4, 0.1, 0, false),
                EpisodeCut.BAD_VALUE, 2);
        events.onNotice("step 12: cut");
        assertEquals(List.of("own episode 1 bad_value 2", "service episode 1", "own notice step 12: cut"), seen);
    }
}
