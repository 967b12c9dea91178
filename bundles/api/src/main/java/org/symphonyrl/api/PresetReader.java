package org.symphonyrl.api;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a preset from a user's JSON file, in the same format as the shipped presets. */
public interface PresetReader {

    /**
     * @throws IllegalArgumentException naming the offending field for an invalid file
     * @throws IOException              if the file cannot be read
     */
    Preset read(Path file) throws IOException;
}
