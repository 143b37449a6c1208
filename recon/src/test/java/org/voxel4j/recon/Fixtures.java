package org.voxel4j.recon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.voxel4j.nn.testing.NpyFixture;

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

    /** Reads a little-endian C-order .npy ({@link NpyFixture}). */
    public static Array npy(String path) {
        NpyFixture f = NpyFixture.parse(bytes(path), path);
        return new Array(f.data(), f.shape());
    }
}
