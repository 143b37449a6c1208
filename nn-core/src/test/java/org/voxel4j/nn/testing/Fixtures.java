package org.voxel4j.nn.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads JSON fixtures (nested lists of numbers) produced by the make_fixtures.py scripts. */
public final class Fixtures {
    private Fixtures() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses a classpath resource, e.g. {@code /fixtures/core/layers.json}. */
    public static JsonNode json(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** A nested JSON list as a double array of the same shape (a number gives a scalar). */
    public static INDArray array(JsonNode node) {
        List<Long> shape = new ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            shape.add((long) n.size());
            n = n.size() > 0 ? n.get(0) : null;
            if (n == null) {
                break;
            }
        }
        List<Double> values = new ArrayList<>();
        flatten(node, values);
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        if (shape.isEmpty()) {
            return Nd4j.scalar(DataType.DOUBLE, v[0]);
        }
        return Nd4j.createFromArray(v)
                .reshape('c', shape.stream().mapToLong(Long::longValue).toArray());
    }

    private static void flatten(JsonNode n, List<Double> out) {
        if (n.isArray()) {
            for (JsonNode c : n) {
                flatten(c, out);
            }
        } else {
            out.add(n.asDouble());
        }
    }
}
