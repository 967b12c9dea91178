package org.symphonyrl.env.zmq;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * One robot adapter's announce file, {@code adapters/<id>.json} in the per-user directory (docs/robots.md):
 * {@code {"protocol", "id", "endpoint", "pid", "host", "curve_key"?}}, written by the adapter owner-only and
 * refreshed (modification time) every second while the adapter serves.
 *
 * @param fileKey  the file's identity (device, inode): a new announce is a new file (written by rename)
 * @param modified the last refresh
 */
record AdapterAnnounce(String id, String endpoint, long pid, String host, String curveKey, Object fileKey,
                       FileTime modified) {

    /** An announce the registry does not believe, with the reason it says once on the console. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final String Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static volatile String localHost;

    /** The owner, mode and identity of {@code file}, refused unless it is private to this user. */
    static Map<String, Object> attributes(Path file) throws Refused, IOException {
        try {
            return PrivateFiles.check(file);
        } catch (PrivateFiles.NotPrivateException e) {
            throw new Refused(e.getMessage());
        }
    }

    /** Reads and checks an announce file whose attributes passed {@link #attributes}. */
    static AdapterAnnounce read(Path file, Map<String, Object> attributes) throws Refused, IOException {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ".json".length());
        JsonObject json;
        try {
            json = JsonParser.parseString(new String(PrivateFiles.read(file), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (PrivateFiles.NotPrivateException e) {
            throw new Refused(e.getMessage());
        } catch (RuntimeException e) {
            throw new Refused(file + " is not a JSON object: " + e.getMessage());
        }
        String protocol = text(json, "protocol");
        if (!Protocol.compatible(protocol)) {
            throw new Refused(file + " was written for protocol " + protocol + ", this runtime speaks "
                    + Protocol.VERSION + " (major versions must match): update the adapter's symphony_bridge");
        }
        String id = text(json, "id");
        if (id == null || !Protocol.ADAPTER_ID_PATTERN.matcher(id).matches() || !id.equals(stem)) {
            throw new Refused(file + ": id " + id + " must look like Name-vN and match the file name (" + stem + ")");
        }
        String endpoint = text(json, "endpoint");
        if (endpoint == null || !Endpoints.isWellFormed(endpoint)) {
            throw new Refused(file + ": endpoint " + endpoint + " must be tcp://HOST:PORT");
        }
        String curveKey = text(json, "curve_key");
        if (curveKey != null && !isCurveKey(curveKey)) {
            throw new Refused(file + ": curve_key is not a CURVE public key (40 Z85 characters that decode to 32 bytes)");
        }
        if (curveKey == null && !Endpoints.isLoopback(endpoint)) {
            throw new Refused(file + ": endpoint " + endpoint + " is not a loopback address and has no curve_key; an "
                    + "adapter on another machine must serve with CURVE and announce its public key");
        }
        JsonElement pid = json.get("pid");
        String host = text(json, "host");
        if (pid == null || !pid.isJsonPrimitive() || !pid.getAsJsonPrimitive().isNumber() || host == null) {
            throw new Refused(file + ": pid (a number) and host are required");
        }
        return new AdapterAnnounce(id, endpoint, pid.getAsLong(), host, curveKey, attributes.get("fileKey"),
                (FileTime) attributes.get("lastModifiedTime"));
    }

    /** Why a checked announce is not (or no longer) to be believed: expired heartbeat, dead local process; or null. */
    String stale(FileTime modified, long ttlMillis) {
        if (System.currentTimeMillis() - modified.toMillis() > ttlMillis) {
            return "its announce was not refreshed within the time to live (" + ttlMillis + " ms): the adapter stopped";
        }
        if (host.equals(localHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
            return "its process " + pid + " is gone";
        }
        return null;
    }

    /** A CURVE public key: 40 Z85 characters whose 5-character groups each decode to a 32-bit number. */
    static boolean isCurveKey(String key) {
        if (key.length() != 40) {
            return false;
        }
        for (int group = 0; group < 40; group += 5) {
            long value = 0;
            for (int i = group; i < group + 5; i++) {
                int digit = Z85.indexOf(key.charAt(i));
                if (digit < 0) {
                    return false;
                }
                value = value * 85 + digit;
            }
            if (value > 0xFFFFFFFFL) {
                return false;
            }
        }
        return true;
    }

    /** This machine's name as the adapter writes it (Python's socket.gethostname()). */
    static String localHost() {
        String known = localHost;
        if (known == null) {
            try {
                known = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException notLinux) {
                try {
                    known = InetAddress.getLocalHost().getHostName();
                } catch (IOException unknown) {
                    known = "";
                }
            }
            localHost = known;
        }
        return known;
    }

    private static String text(JsonObject json, String field) {
        JsonElement e = json.get(field);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
