package org.symphonyrl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.symphonyrl.api.Tensor;

/** Fixtures written by src/test/python/golden.py, and the comparison the tests use. */
final class Golden {

    /** The bar: every value within 1e-5 relative of the golden script's. */
    static final double RELATIVE = 1e-5;

    private Golden() {
    }

    static JsonObject load(String name) {
        String path = "/golden/" + name + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing: run src/test/python/golden.py");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] data(JsonObject tensor) {
        JsonArray a = tensor.getAsJsonArray("data");
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    static double[] doubles(JsonObject tensor) {
        JsonArray a = tensor.getAsJsonArray("data");
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    static long[] shape(JsonObject tensor) {
        JsonArray a = tensor.getAsJsonArray("shape");
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    static Tensor tensor(JsonElement tensor) {
        return new Tensor(shape(tensor.getAsJsonObject()), data(tensor.getAsJsonObject()));
    }

    static NDArray array(NDManager manager, JsonObject tensor) {
        return manager.create(data(tensor), new Shape(shape(tensor)));
    }

    /**
     * Relative to the tensor: |actual − expected| ≤ 1e-5 · max|expected| for every element (for a
     * scalar, 1e-5·|expected|). Element-wise relative error is not a float32 bar: a gradient element
     * that is a small sum of large terms keeps only the terms' absolute precision.
     */
    static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tolerance = RELATIVE * scale + 1e-12;
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (error "
                        + Math.abs(actual[i] - expected[i]) / scale + " of the largest value)\nexpected "
                        + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
            }
        }
    }

    static void assertClose(String what, JsonObject expected, NDArray actual) {
        assertEquals(Arrays.toString(shape(expected)), Arrays.toString(actual.getShape().getShape()), what + ": shape");
        assertClose(what, doubles(expected), actual.toFloatArray());
    }

    static void assertClose(String what, double expected, double actual) {
        assertClose(what, new double[] {expected}, new float[] {(float) actual});
    }
}
