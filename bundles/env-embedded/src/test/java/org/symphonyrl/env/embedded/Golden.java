package org.symphonyrl.env.embedded;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the fixtures written by src/test/python/pendulum_golden.py (Gymnasium and numpy's own numbers). */
final class Golden {

    private Golden() {
    }

    /** The {@code cases} of {@code resources/pendulum/<name>}. */
    static List<JsonObject> cases(String name) {
        String resource = "/pendulum/" + name;
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing; run src/test/python/pendulum_golden.py");
            }
            JsonArray cases = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonArray("cases");
            List<JsonObject> list = new ArrayList<>();
            cases.forEach(e -> list.add(e.getAsJsonObject()));
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).getAsDouble(); // written from float32 values, so the cast is exact
        }
        return v;
    }

    static double[] doubles(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    /** Unsigned 64-bit integers written as decimal strings, as Java's two's-complement longs. */
    static long[] unsignedLongs(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = new BigInteger(a.get(i).getAsString()).longValue();
        }
        return v;
    }
}
