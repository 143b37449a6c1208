package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Access to the fixtures made by {@code fixtures/io/make_fixtures.py} and their expectations. */
final class Fixtures {
    private Fixtures() {}

    static Path dir(String sub) {
        URL url = Fixtures.class.getResource("/fixtures/io/" + sub);
        if (url == null) {
            throw new IllegalStateException("missing fixture folder " + sub);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String sub, String name) {
        return dir(sub).resolve(name);
    }

    static JsonNode expected(String sub) {
        try {
            return new ObjectMapper().readTree(dir(sub).resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fixture names with their expectations, for parameterised tests. */
    static List<Map.Entry<String, JsonNode>> entries(String sub) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = expected(sub).fields();
        it.forEachRemaining(out::add);
        return out;
    }

    static long[] longs(JsonNode arr) {
        long[] r = new long[arr.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = arr.get(i).asLong();
        }
        return r;
    }

    static double[] doubles(JsonNode arr) {
        double[] r = new double[arr.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = arr.get(i).asDouble();
        }
        return r;
    }

    static void assertAffine(double[][] actual, JsonNode expected, double tol) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(actual[r][c])
                        .as("affine[%d][%d]", r, c)
                        .isCloseTo(expected.get(r).get(c).asDouble(), within(tol));
            }
        }
    }

    /**
     * Asserts {@code data} holds exactly {@code values} (C order of data): integer types compared
     * as longs, float32 against the float32 rounding of the expected double, float64 exactly.
     */
    static void assertValues(INDArray data, JsonNode values) {
        assertThat(data.length()).isEqualTo(values.size());
        INDArray flat = Nd4j.toFlattened('c', data);
        DataType t = data.dataType();
        if (t == DataType.FLOAT || t == DataType.HALF || t == DataType.DOUBLE) {
            double[] got = flat.castTo(DataType.DOUBLE).toDoubleVector();
            for (int i = 0; i < got.length; i++) {
                double e = values.get(i).asDouble();
                double want = t == DataType.DOUBLE ? e : (double) (float) e;
                assertThat(got[i]).as("element %d", i).isEqualTo(want);
            }
        } else {
            long[] got = longValues(flat);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("element %d", i).isEqualTo(values.get(i).asLong());
            }
        }
    }

    /** Integer values read straight from the buffer bytes (no ND4J casts involved). */
    static long[] longValues(INDArray flat) {
        INDArray c = flat.dup('c');
        java.nio.ByteBuffer b = c.data().asNio().order(java.nio.ByteOrder.nativeOrder());
        int n = (int) c.length();
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] =
                    switch (c.dataType()) {
                        case BOOL, UBYTE -> b.get(i) & 0xffL;
                        case BYTE -> b.get(i);
                        case SHORT -> b.getShort(2 * i);
                        case UINT16 -> b.getShort(2 * i) & 0xffffL;
                        case INT -> b.getInt(4 * i);
                        case UINT32 -> b.getInt(4 * i) & 0xffffffffL;
                        case LONG, UINT64 -> b.getLong(8 * i);
                        default -> throw new IllegalArgumentException(c.dataType().toString());
                    };
        }
        return r;
    }
}
