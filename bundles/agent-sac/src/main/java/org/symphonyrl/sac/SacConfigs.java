package org.symphonyrl.sac;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.osgi.util.converter.ConversionException;
import org.osgi.util.converter.Converter;
import org.osgi.util.converter.Converters;

/** Reads a {@link SacConfig} from a property map (a preset section, ConfigAdmin properties) and checks it. */
public final class SacConfigs {

    /** Every property name of {@link SacConfig}, sorted. */
    static final Set<String> NAMES = Arrays.stream(SacConfig.class.getDeclaredMethods()).map(Method::getName)
            .collect(Collectors.toCollection(TreeSet::new));

    private static final Converter CONVERTER = Converters.standardConverter();

    private SacConfigs() {
    }

    /** Every knob at its default. */
    public static SacConfig defaults() {
        return from(Map.of());
    }

    /**
     * {@code properties} as a SacConfig: missing keys take their defaults, values may be numbers or
     * strings of numbers.
     *
     * @throws IllegalArgumentException naming the key and what it expects, for an unknown key, a value that
     *                                  is not a number of the right kind, or a value out of range
     */
    public static SacConfig from(Map<String, ?> properties) {
        for (String key : properties.keySet()) {
            if (!NAMES.contains(key)) {
                throw new IllegalArgumentException("SAC configuration: unknown key '" + key + "'; the keys are "
                        + String.join(", ", NAMES));
            }
        }
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            convertible(e.getKey(), e.getValue());
        }
        SacConfig config = CONVERTER.convert(properties).to(SacConfig.class);
        check(config);
        return config;
    }

    /** Converts one value on its own first, so that a bad one is reported with its key. */
    private static void convertible(String key, Object value) {
        Class<?> type;
        try {
            type = SacConfig.class.getDeclaredMethod(key).getReturnType();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        String expected = type == int.class ? "an integer" : "a number";
        if (!(value instanceof Number || value instanceof String)) {
            // the Converter would read true as 1 and a one-element list as its element
            throw new IllegalArgumentException("SAC configuration: '" + key + "' is "
                    + (value == null ? "null" : describe(value)) + ", expected " + expected);
        }
        try {
            Object converted = CONVERTER.convert(value).to(type == int.class ? Integer.class : Double.class);
            if (type == int.class && value instanceof Number n && n.doubleValue() != ((Integer) converted)) {
                throw new ConversionException("not an integer");
            }
        } catch (ConversionException | NumberFormatException e) {
            throw new IllegalArgumentException("SAC configuration: '" + key + "' is " + describe(value)
                    + ", expected " + expected);
        }
    }

    /** Throws for the first knob out of range, naming it and its range. */
    static void check(SacConfig c) {
        atLeast("hidden", c.hidden(), 1);
        positive("actorLearningRate", c.actorLearningRate());
        positive("criticLearningRate", c.criticLearningRate());
        positive("alphaLearningRate", c.alphaLearningRate());
        within("gamma", c.gamma(), 0, 1);
        if (!(c.tau() > 0 && c.tau() <= 1)) {
            throw new IllegalArgumentException("SAC configuration: 'tau' is " + c.tau() + ", expected 0 < tau <= 1");
        }
        atLeast("batchSize", c.batchSize(), 1);
        atLeast("updatesPerStep", c.updatesPerStep(), 1);
        atLeast("warmupSteps", c.warmupSteps(), 0);
        positive("initialAlpha", c.initialAlpha());
        within("targetEntropyScale", c.targetEntropyScale(), -1e6, 1e6);
        within("logStdMin", c.logStdMin(), -100, 100);
        within("logStdMax", c.logStdMax(), -100, 100);
        if (!(c.logStdMin() < c.logStdMax())) {
            throw new IllegalArgumentException("SAC configuration: 'logStdMin' (" + c.logStdMin()
                    + ") must be less than 'logStdMax' (" + c.logStdMax() + ")");
        }
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("SAC configuration: '" + key + "' is " + value + ", expected an integer >= "
                    + min);
        }
    }

    private static void positive(String key, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("SAC configuration: '" + key + "' is " + value
                    + ", expected a finite number > 0");
        }
    }

    private static void within(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("SAC configuration: '" + key + "' is " + value + ", expected a number in ["
                    + min + ", " + max + "]");
        }
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : value + " (" + value.getClass().getSimpleName() + ")";
    }
}
