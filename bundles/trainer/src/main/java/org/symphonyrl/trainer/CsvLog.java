package org.symphonyrl.trainer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only CSV file with a header, flushed line by line so that a killed run keeps every row
 * it wrote. On resume, rows written after the checkpoint are dropped ({@link #keepRowsUpTo}) so the
 * log never shows a step twice.
 */
final class CsvLog implements AutoCloseable {

    private final BufferedWriter out;

    CsvLog(Path file, String header) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, kept, StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean wholeNumber(String s) {
        return s.matches("\\d{1,18}");
    }
}
