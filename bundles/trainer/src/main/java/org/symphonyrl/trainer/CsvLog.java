package org.symphonyrl.trainer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only CSV file (0600) with a header, flushed line by line so that a killed run keeps every row
 * it wrote. On resume, rows written after the checkpoint are dropped ({@link #keepRowsUpTo}) so the
 * log never shows a step twice, and a file written before columns were added gains them (empty cells).
 */
final class CsvLog implements AutoCloseable {

    private final BufferedWriter out;

    CsvLog(Path file, String header) throws IOException {
        addColumns(file, header);
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        out = new BufferedWriter(Channels.newWriter(PrivateFiles.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), StandardCharsets.UTF_8));
        if (fresh) {
            out.write(header);
            out.newLine();
            out.flush();
        }
    }

    void row(String line) {
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Keeps the header and the rows whose {@code column} (0-based, a whole number) is at most {@code last};
     * a row cut short by a kill (fewer cells than the header) is dropped; a missing file is left alone.
     */
    static void keepRowsUpTo(Path file, int column, long last) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        int columns = lines.isEmpty() ? 0 : lines.get(0).split(",", -1).length;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0) {
                kept.add(line);
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length == columns && wholeNumber(cells[column]) && Long.parseLong(cells[column]) <= last) {
                kept.add(line);
            }
        }
        write(file, kept);
    }

    /**
     * Brings a file written under an older header that lacks trailing columns of {@code header} to that
     * header: the columns are added, empty in the old rows. Any other header is refused.
     */
    private static void addColumns(Path file, String header) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String old = lines.get(0);
        if (old.equals(header)) {
            return;
        }
        if (!header.startsWith(old + ",")) {
            throw new IOException(file + " has the columns '" + old + "', not '" + header + "' or a start of them");
        }
        String padding = ",".repeat(header.split(",", -1).length - old.split(",", -1).length);
        List<String> upgraded = new ArrayList<>();
        upgraded.add(header);
        lines.subList(1, lines.size()).forEach(l -> upgraded.add(l + padding));
        write(file, upgraded);
    }

    private static void write(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append(System.lineSeparator()));
        PrivateFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean wholeNumber(String s) {
        return s.matches("\\d{1,18}");
    }
}
