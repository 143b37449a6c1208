package org.voxel4j.recon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fixtures written by {@code fixtures/make_fixtures.py} (NumPy .npy and JSON). */
public final class Fixtures {
    private Fixtures() {}

    /** A fixture array: values as double and the shape. */
    public record Array(double[] data, int[] shape) {
        public int dim(int i) {
            return shape[i];
        }
    }

    private static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing fixture " + path + " (run fixtures/make_fixtures.py)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture .npy as a DOUBLE INDArray of its shape. */
    public static org.nd4j.linalg.api.ndarray.INDArray ndarray(String path) {
        Array a = npy(path);
        long[] shape = new long[a.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = a.shape()[i];
        }
        return org.nd4j.linalg.factory.Nd4j.create(a.data(), shape, 'c');
    }

    public static JsonNode json(String path) {
        try {
            return new ObjectMapper().readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a little-endian C-order .npy of f8, f4, i2, i4, u1 or b1. */
    public static Array npy(String path) {
        byte[] b = bytes(path);
        if (b[0] != (byte) 0x93 || b[1] != 'N') {
            throw new IllegalStateException(path + " is not an .npy file");
        }
        int major = b[6];
        int headerLen;
        int start;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else {
            headerLen = bb.getInt(8);
            start = 12;
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher f = Pattern.compile("'fortran_order':\\s*(True|False)").matcher(header);
        Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !f.find() || !s.find() || f.group(1).equals("True")) {
            throw new IllegalStateException(path + ": unsupported header " + header);
        }
        String[] parts = s.group(1).split(",");
        int n = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[n++] = Integer.parseInt(p.trim());
            }
        }
        shape = java.util.Arrays.copyOf(shape, n);
        int count = 1;
        for (int v : shape) {
            count *= v;
        }
        bb.position(start + headerLen);
        double[] out = new double[count];
        String descr = d.group(1);
        for (int i = 0; i < count; i++) {
            out[i] =
                    switch (descr) {
                        case "<f8" -> bb.getDouble();
                        case "<f4" -> bb.getFloat();
                        case "<i2" -> bb.getShort();
                        case "<i4" -> bb.getInt();
                        case "|u1" -> bb.get() & 0xff;
                        case "|b1" -> bb.get() != 0 ? 1 : 0;
                        default ->
                                throw new IllegalStateException(
                                        path + ": unsupported dtype " + descr);
                    };
        }
        return new Array(out, shape);
    }
}
