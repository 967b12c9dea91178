package org.symphonyrl.presets;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.symphonyrl.api.DropoutMode;
import org.symphonyrl.api.Hyperparameters;

/**
 * Reads the preset JSON format: {@code name}, {@code description}, an optional {@code base} preset,
 * and any {@link Hyperparameters} field by its record name. Numbers may be written as the named
 * constants of {@link Constants}. Every error names the source and the field.
 */
final class PresetParser {

    /** Fields a preset file may set: the Hyperparameters record's components, by name and type. */
    static final Map<String, Class<?>> FIELDS = new LinkedHashMap<>();

    static {
        for (RecordComponent c : Hyperparameters.class.getRecordComponents()) {
            FIELDS.put(c.getName(), c.getType());
        }
    }

    private static final Set<String> META = Set.of("name", "description", "base");

    private PresetParser() {
    }

    /** A parsed file: its own values only (the base is merged by the catalog). */
    record Document(String source, String name, String description, String base, Map<String, Object> values) {
    }

    static Document parse(String source, Reader reader) {
        JsonElement root;
        try {
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": a preset is a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String field = e.getKey();
            if (META.contains(field)) {
                continue;
            }
            Class<?> type = FIELDS.get(field);
            if (type == null) {
                throw new IllegalArgumentException(source + ": unknown field '" + field + "'; known fields: "
                        + new TreeSet<>(FIELDS.keySet()) + " and name, description, base");
            }
            values.put(field, value(source, field, type, e.getValue()));
        }
        String name = text(source, o, "name", true);
        return new Document(source, name, text(source, o, "description", false), text(source, o, "base", false), values);
    }

    private static String text(String source, JsonObject o, String field, boolean required) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new IllegalArgumentException(source + ": field '" + field + "' is required");
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
            throw new IllegalArgumentException(source + ": field '" + field + "' must be a non-empty string");
        }
        return e.getAsString();
    }

    private static Object value(String source, String field, Class<?> type, JsonElement e) {
        String where = source + ": field '" + field + "'";
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException(where + " must be a " + describe(type) + ", got " + e);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (type == boolean.class) {
            if (!p.isBoolean()) {
                throw new IllegalArgumentException(where + " must be true or false, got " + p);
            }
            return p.getAsBoolean();
        }
        if (type == DropoutMode.class) {
            try {
                return DropoutMode.valueOf(p.getAsString());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + " must be NONE, FIXED or RANDOM, got " + p);
            }
        }
        double v;
        if (p.isNumber()) {
            v = p.getAsDouble();
        } else if (p.isString() && Constants.NAMED.containsKey(p.getAsString())) {
            v = Constants.NAMED.get(p.getAsString());
        } else {
            throw new IllegalArgumentException(where + " must be a " + describe(type) + ", got " + p);
        }
        if (type == int.class) {
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + " must be a whole number, got " + p);
            }
            return (int) v;
        }
        return v;
    }

    private static String describe(Class<?> type) {
        if (type == int.class) {
            return "whole number";
        }
        if (type == double.class) {
            return "number or one of " + new TreeSet<>(Constants.NAMED.keySet());
        }
        return type.getSimpleName();
    }
}
