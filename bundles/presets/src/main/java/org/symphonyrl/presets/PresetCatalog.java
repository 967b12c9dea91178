package org.symphonyrl.presets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.symphonyrl.api.Preset;
import org.symphonyrl.api.PresetReader;

/**
 * The shipped presets (S3, SE, S2, ED, S~2), each registered as a {@link Preset} service, and the
 * reader for a user's own preset file, which may name any of them as its {@code base}.
 */
@Component(service = PresetReader.class, immediate = true) // immediate: activation registers the presets
public final class PresetCatalog implements PresetReader {

    /** Shipped resources in dependency order (a base comes before the presets built on it). */
    static final List<String> SHIPPED = List.of("S3", "SE", "S2", "ED", "S2-tilde");

    /** Alternative names, for shells and file names where '~' is awkward. */
    static final Map<String, String> ALIASES = Map.of("S2-tilde", "S~2");

    private final Map<String, SymphonyPreset> presets;
    private final List<ServiceRegistration<Preset>> registrations = new ArrayList<>();

    public PresetCatalog() {
        presets = loadShipped();
    }

    @Activate
    void activate(BundleContext context) {
        for (SymphonyPreset preset : presets.values()) {
            Hashtable<String, Object> props = new Hashtable<>();
            List<String> names = new ArrayList<>(List.of(preset.name()));
            ALIASES.forEach((alias, name) -> {
                if (name.equals(preset.name())) {
                    names.add(alias);
                }
            });
            props.put(Preset.NAME, names.toArray(String[]::new));
            registrations.add(context.registerService(Preset.class, preset, props));
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    /** A shipped preset by name or alias, case-insensitively; null if none. */
    Preset find(String name) {
        String canonical = ALIASES.getOrDefault(name, name);
        for (SymphonyPreset p : presets.values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(canonical.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    /** The shipped presets in order. */
    List<Preset> shipped() {
        return List.copyOf(presets.values());
    }

    @Override
    public Preset read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such preset file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return build(PresetParser.parse(file.toString(), reader), presets);
        }
    }

    private static Map<String, SymphonyPreset> loadShipped() {
        Map<String, SymphonyPreset> loaded = new LinkedHashMap<>();
        for (String resource : SHIPPED) {
            String path = "/presets/" + resource + ".json";
            try (InputStream in = PresetCatalog.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("preset resource " + path + " is missing from the bundle");
                }
                SymphonyPreset p = build(PresetParser.parse(path, new InputStreamReader(in, StandardCharsets.UTF_8)), loaded);
                loaded.put(p.name(), p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loaded;
    }

    /** Merges the document over its base (if any) and checks the result. */
    private static SymphonyPreset build(PresetParser.Document doc, Map<String, SymphonyPreset> known) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (doc.base() != null) {
            SymphonyPreset base = known.get(ALIASES.getOrDefault(doc.base(), doc.base()));
            if (base == null) {
                throw new IllegalArgumentException(doc.source() + ": field 'base' names unknown preset '" + doc.base()
                        + "'; known: " + known.keySet());
            }
            values.putAll(base.values());
        }
        values.putAll(doc.values());
        return new SymphonyPreset(doc.source(), doc.name(), doc.description(), values);
    }
}
