package org.voxel4j.volumetric;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.voxel4j.nn.testing.NpyFixture;

/** Reads test fixtures: NumPy .npy arrays (little-endian, C order) and JSON with Infinity. */
public final class Fixtures {
    private Fixtures() {}

    /** A loaded .npy array. */
    public record Npy(int[] shape, double[] data) {
        public boolean[] mask() {
            boolean[] m = new boolean[data.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = data[i] != 0;
            }
            return m;
        }

        public int[] ints() {
            int[] v = new int[data.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (int) data[i];
            }
            return v;
        }

        public float[] floats() {
            float[] v = new float[data.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) data[i];
            }
            return v;
        }
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String resource) {
        try {
            return JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build()
                    .readTree(bytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a little-endian C-order .npy ({@link NpyFixture}). */
    public static Npy npy(String resource) {
        NpyFixture f = NpyFixture.parse(bytes(resource), resource);
        return new Npy(f.shape(), f.data());
    }
}
