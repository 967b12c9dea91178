package org.symphonyrl.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLogTest {

    @Test
    void rowsAfterTheCheckpointAndARowCutShortAreDropped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("episodes.csv");
        try (CsvLog log = new CsvLog(file, "episode,step,return")) {
            log.row("1,200,-1500.5");
            log.row("2,400,-1400.25");
            log.row("3,600,-1300");
        }
        Files.writeString(file, "4,8", java.nio.file.StandardOpenOption.APPEND); // a kill mid-row
        CsvLog.keepRowsUpTo(file, 0, 2);
        assertEquals(List.of("episode,step,return", "1,200,-1500.5", "2,400,-1400.25"), Files.readAllLines(file));
        try (CsvLog log = new CsvLog(file, "episode,step,return")) { // reopening appends, no second header
            log.row("3,600,-1250");
        }
        assertEquals(4, Files.readAllLines(file).size());
    }
}
