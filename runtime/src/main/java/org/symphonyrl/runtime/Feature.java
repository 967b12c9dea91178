package org.symphonyrl.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A feature descriptor: which bundles, in start order, form a runnable system, plus framework
 * configuration. Bundles are named by file stem in the distribution's {@code bundles/} folder
 * ({@code symphony-core} means {@code bundles/symphony-core.jar}) or by a path to a jar.
 *
 * <pre>{ "name": "default", "description": "…", "bundles": ["org.apache.felix.scr", …],
 *   "configuration": { "some.framework.property": "value" } }</pre>
 */
public record Feature(String name, String description, List<String> bundles, Map<String, String> configuration) {

    public Feature {
        bundles = List.copyOf(bundles);
        configuration = Map.copyOf(configuration);
    }

    /** Reads and checks a descriptor; every problem names the file and the field. */
    public static Feature read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            JsonElement root;
            try {
                root = JsonParser.parseReader(reader);
            } catch (JsonParseException e) {
                throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
            }
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException(file + ": a feature is a JSON object");
            }
            return fromJson(file.toString(), root.getAsJsonObject());
        }
    }

    private static Feature fromJson(String source, JsonObject o) {
        for (String key : o.keySet()) {
            if (!List.of("name", "description", "bundles", "configuration").contains(key)) {
                throw new IllegalArgumentException(source + ": unknown field '" + key
                        + "' (expected name, description, bundles, configuration)");
            }
        }
        String name = string(source, o, "name");
        String description = o.has("description") ? string(source, o, "description") : "";
        if (!o.has("bundles") || !o.get("bundles").isJsonArray()) {
            throw new IllegalArgumentException(source + ": field 'bundles' must be an array of bundle names");
        }
        JsonArray array = o.getAsJsonArray("bundles");
        List<String> bundles = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement e = array.get(i);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
                throw new IllegalArgumentException(source + ": bundles[" + i + "] must be a non-empty string");
            }
            bundles.add(e.getAsString());
        }
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException(source + ": field 'bundles' is empty");
        }
        Map<String, String> configuration = new LinkedHashMap<>();
        if (o.has("configuration")) {
            if (!o.get("configuration").isJsonObject()) {
                throw new IllegalArgumentException(source + ": field 'configuration' must be an object");
            }
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("configuration").entrySet()) {
                if (!e.getValue().isJsonPrimitive()) {
                    throw new IllegalArgumentException(source + ": configuration." + e.getKey()
                            + " must be a string, number or boolean");
                }
                configuration.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return new Feature(name, description, bundles, configuration);
    }

    private static String string(String source, JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(source + ": field '" + field + "' must be a string");
        }
        return e.getAsString();
    }
}
