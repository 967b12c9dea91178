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
}
