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

    @Test
    void aLogWrittenBeforeColumnsWereAddedGainsThemEmpty(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("episodes.csv");
        Files.write(file, List.of("episode,step,return", "1,200,-1500.5"));
        try (CsvLog log = new CsvLog(file, "episode,step,return,cut,nonfinite")) {
            log.row("2,400,-1400.25,stop,0");
        }
        assertEquals(List.of("episode,step,return,cut,nonfinite", "1,200,-1500.5,,", "2,400,-1400.25,stop,0"),
                Files.readAllLines(file));
        Files.write(file, List.of("other,columns"));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new CsvLog(file, "episode,step,return,cut,nonfinite"));
        assertEquals(file + " has the columns 'other,columns', not 'episode,step,return,cut,nonfinite' or a start of"
                + " them", e.getMessage());
    }

    @Test
    void aNewLogIsTheOwnersAlone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.csv");
        new CsvLog(file, "step,eval_mean,eval_std").close();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
