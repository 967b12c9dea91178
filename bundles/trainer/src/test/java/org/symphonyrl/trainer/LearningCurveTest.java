package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Returns of episodes cut short are not plotted as ordinary returns. */
class LearningCurveTest {

    @Test
    void cutEpisodesAreASeriesOfTheirOwn(@TempDir Path dir) throws Exception {
        Path episodes = dir.resolve("episodes.csv");
        Files.write(episodes, List.of(EpisodeLog.HEADER,
                "1,200,-1500.000000,200,false,,,,true,,,0",
                "2,400,-1100.000000,200,false,0.5,0.1,0.0,false,,,0",
                "3,450,-395.000000,50,false,0.5,0.1,0.0,false,,stop,0",
                "4,650,-1000.000000,200,false,0.5,0.1,0.0,false,,,0",
                "5,652,-3.000000,2,false,0.5,0.1,0.0,false,,bad_value,1",
                "6,700,-200.000000,48,false,0.5,0.1,0.0,false,,end,0",
                "7,7")); // a row cut short by a kill
        Path history = dir.resolve("history.csv");
        Files.write(history, List.of(HistoryLog.HEADER, "400,-1200.500000,30.000000"));
        XYChart chart = LearningCurve.chart(history, episodes, "t");
        XYSeries ordinary = chart.getSeriesMap().get("training episode");
        XYSeries cut = chart.getSeriesMap().get("episode cut short (not a full return)");
        assertArrayEquals(new double[] {200, 400, 650}, ordinary.getXData());
        assertArrayEquals(new double[] {-1500, -1100, -1000}, ordinary.getYData());
        assertArrayEquals(new double[] {450, 652, 700}, cut.getXData());
        assertArrayEquals(new double[] {-395, -3, -200}, cut.getYData());
        assertEquals(SeriesMarkers.CROSS, cut.getMarker());
        assertArrayEquals(new double[] {-1200.5}, chart.getSeriesMap().get("evaluation mean ± std").getYData());
    }

    @Test
    void anOlderLogWithoutTheCutColumnIsDrawnAsBefore(@TempDir Path dir) throws Exception {
        Path episodes = dir.resolve("episodes.csv");
        Files.write(episodes, List.of("episode,step,return,length,terminated,mean_sigma,mean_beta,advantage,exploring,swap",
                "1,200,-1500.000000,200,false,,,,true,"));
        XYChart chart = LearningCurve.chart(dir.resolve("none.csv"), episodes, "t");
        assertArrayEquals(new double[] {-1500}, chart.getSeriesMap().get("training episode").getYData());
        assertEquals(1, chart.getSeriesMap().size());
    }
}
