package org.voxel4j.nn;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, as built by Maven (written into checkpoints). */
public final class Version {
    private Version() {}

    /** e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    public static final String LIBRARY = read();

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read voxel4j version.properties", e);
        }
        String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }

    /** {@code major.minor} of a version string, the part that must match to load a checkpoint. */
    public static String series(String version) {
        String[] parts = version.split("[.-]");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }
}
