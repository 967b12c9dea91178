package org.symphonyrl.trainer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.symphonyrl.api.EnvSpec;
import org.symphonyrl.api.Hyperparameters;

/**
 * {@code run.json}: what a run is, enough to resume or evaluate it without the preset file or the
 * command line that started it — the command, the seed, the preset's name and its resolved values,
 * the environment, agent and buffer kinds, the target step count, the version of every bundle in
 * the runtime, when it started (and was resumed), and the environment's spec (observation and action
 * bounds, episode limit; runs started before it was recorded have none), so that tools need not open
 * the environment to know its shape. Infinite bounds are written as {@code Infinity} / {@code -Infinity}.
 */
record RunInfo(int format, List<String> command, String environment, String preset, Hyperparameters hyperparameters,
               long seed, long steps, int checkpointEvery, String agentKind, String bufferKind,
               Map<String, String> bundles, String started, List<String> resumed, EnvSpec environmentSpec) {

    static final String FILE = "run.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    RunInfo {
        command = List.copyOf(command);
        bundles = Map.copyOf(bundles);
        resumed = List.copyOf(resumed);
    }

    /** Writes run.json (0600) atomically. */
    void write(Path runDir) throws IOException {
        PrivateFiles.writeAtomically(runDir.resolve(FILE), (GSON.toJson(this) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Reads run.json, refusing one that another user owns or could have written. */
    static RunInfo read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(runDir + " is not a run directory: it has no " + FILE);
        }
        try {
            PrivateFiles.checkTrusted(file, "run description");
        } catch (PrivateFiles.UntrustedFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            RunInfo info = GSON.fromJson(Files.readString(file), RunInfo.class);
            if (info == null || info.format() != 1 || info.hyperparameters() == null) {
                throw new IllegalArgumentException(file + ": not a run description of format 1");
            }
            return info;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    RunInfo withSteps(long newSteps) {
        return new RunInfo(format, command, environment, preset, hyperparameters, seed, newSteps, checkpointEvery,
                agentKind, bufferKind, bundles, started, resumed, environmentSpec);
    }

    RunInfo resumedAt(String time, String bufferKindNow) {
        List<String> r = new java.util.ArrayList<>(resumed);
        r.add(time);
        return new RunInfo(format, command, environment, preset, hyperparameters, seed, steps, checkpointEvery,
                agentKind, bufferKindNow, bundles, started, r, environmentSpec);
    }
}
