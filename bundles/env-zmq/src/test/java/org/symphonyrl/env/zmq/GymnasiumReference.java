package org.symphonyrl.env.zmq;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import com.google.gson.Gson;

/**
 * Runs src/test/resources/gymnasium_reference.py: Gymnasium in-process in a separate Python, with no bridge
 * code involved, so the numbers the bridge delivers are checked against an independent source.
 */
final class GymnasiumReference {

    record Step(double reward, boolean terminated, boolean truncated, float[] observation) {
    }

    record Result(int observationSize, double[] actionLow, double[] actionHigh, int maxEpisodeSteps,
                  List<float[]> resets, List<Step> steps) {
    }

    private GymnasiumReference() {
    }

    /**
     * @param resets  seeds (null = no seed) of the resets done in order
     * @param actions actions stepped after the last reset, until terminated or truncated
     */
    static Result run(String id, Map<String, Object> kwargs, List<Long> resets, List<float[]> actions) {
        JsonObject request = new JsonObject();
        request.addProperty("id", id);
        request.add("kwargs", new Gson().toJsonTree(kwargs));
        JsonArray seeds = new JsonArray();
        for (Long seed : resets) {
            seeds.add(seed == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(
                    new java.math.BigInteger(Long.toUnsignedString(seed))));
        }
        request.add("resets", seeds);
        int n = actions.isEmpty() ? 0 : actions.get(0).length;
        float[] flat = new float[actions.size() * n];
        for (int i = 0; i < actions.size(); i++) {
            System.arraycopy(actions.get(i), 0, flat, i * n, n);
        }
        request.addProperty("actions", Base64.getEncoder().encodeToString(Float32Frames.encode(flat)));
        JsonObject out = JsonParser.parseString(python(request.toString())).getAsJsonObject();
        List<float[]> observations = new ArrayList<>();
        out.getAsJsonArray("resets").forEach(e -> observations.add(decode(e)));
        List<Step> steps = new ArrayList<>();
        for (JsonElement e : out.getAsJsonArray("steps")) {
            JsonObject s = e.getAsJsonObject();
            steps.add(new Step(s.get("reward").getAsDouble(), s.get("terminated").getAsBoolean(),
                    s.get("truncated").getAsBoolean(), decode(s.get("obs"))));
        }
        return new Result(out.get("observation_size").getAsInt(), doubles(out.getAsJsonArray("action_low")),
                doubles(out.getAsJsonArray("action_high")), out.get("max_episode_steps").getAsInt(), observations, steps);
    }

    private static float[] decode(JsonElement base64) {
        return Float32Frames.decode(Base64.getDecoder().decode(base64.getAsString()), "reference");
    }

    private static double[] doubles(JsonArray array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsDouble();
        }
        return values;
    }

    private static String python(String input) {
        try {
            Path script = Path.of("src/test/resources/gymnasium_reference.py");
            Path errors = Files.createTempFile("gymnasium-reference", ".err");
            Process p = new ProcessBuilder(TestPython.python().toString(), script.toString())
                    .redirectError(errors.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("reference script failed: " + Files.readString(errors));
            }
            Files.delete(errors);
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
