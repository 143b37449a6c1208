package org.voxel4j.volumetric;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Npy npy(String resource) {
        byte[] b = bytes(resource);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b[0] != (byte) 0x93 || b[1] != 'N') {
            throw new IllegalStateException(resource + " is not an .npy file");
        }
        int major = b[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            start = 10;
        } else {
            headerLen = buf.getInt(8);
            start = 12;
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) {
            throw new IllegalStateException(resource + " is Fortran-ordered");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IllegalStateException(resource + ": unreadable header " + header);
        }
        String descr = d.group(1);
        String[] parts = s.group(1).split(",");
        int count = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                count++;
            }
        }
        int[] shape = new int[count];
        int n = 1;
        int k = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[k] = Integer.parseInt(p.trim());
                n *= shape[k++];
            }
        }
        double[] data = new double[n];
        int off = start + headerLen;
        for (int i = 0; i < n; i++) {
            data[i] =
                    switch (descr) {
                        case "|u1", "|b1" -> b[off + i] & 0xff;
                        case "<i4" -> buf.getInt(off + 4 * i);
                        case "<i8" -> buf.getLong(off + 8 * i);
                        case "<f4" -> buf.getFloat(off + 4 * i);
                        case "<f8" -> buf.getDouble(off + 8 * i);
                        default ->
                                throw new IllegalStateException(
                                        resource + ": unsupported dtype " + descr);
                    };
        }
        return new Npy(shape, data);
    }
}
