package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch reference cases from {@code fixtures/ops/cases.json}, written by {@code
 * fixtures/ops/make_fixtures.py}, and a forward runner that feeds them through placeholders of
 * unknown shape.
 */
final class Fixtures {
    private static final Path DIR = locate();
    private static final JsonNode CASES = load();

    private Fixtures() {}

    /** One reference case: named inputs, named outputs, parameters. */
    record Case(
            String name,
            Map<String, INDArray> inputs,
            Map<String, INDArray> outputs,
            JsonNode params) {
        INDArray in(String key) {
            INDArray a = inputs.get(key);
            if (a == null) {
                throw new IllegalArgumentException(name + " has no input " + key);
            }
            return a;
        }

        INDArray out(String key) {
            INDArray a = outputs.get(key);
            if (a == null) {
                throw new IllegalArgumentException(name + " has no output " + key);
            }
            return a;
        }

        int[] ints(String key) {
            JsonNode n = params.get(key);
            int[] out = new int[n.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = n.get(i).asInt();
            }
            return out;
        }

        long[] longs(String key) {
            return Arrays.stream(ints(key)).asLongStream().toArray();
        }

        double d(String key) {
            return params.get(key).asDouble();
        }

        int i(String key) {
            return params.get(key).asInt();
        }

        String s(String key) {
            return params.get(key).asText();
        }

        boolean b(String key) {
            return params.get(key).asBoolean();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case get(String name) {
        JsonNode c = CASES.get("cases").get(name);
        if (c == null) {
            throw new IllegalArgumentException("no fixture case " + name);
        }
        return new Case(name, arrays(c.get("inputs")), arrays(c.get("outputs")), c.get("params"));
    }

    /** Names of all cases starting with {@code prefix}, sorted. */
    static List<String> names(String prefix) {
        List<String> out = new ArrayList<>();
        CASES.get("cases")
                .fieldNames()
                .forEachRemaining(
                        n -> {
                            if (n.startsWith(prefix)) {
                                out.add(n);
                            }
                        });
        Collections.sort(out);
        assertThat(out).as("fixture cases with prefix " + prefix).isNotEmpty();
        return out;
    }

    /**
     * Runs {@code build} with every input fed through a placeholder whose dimensions are all
     * unknown (-1), as in a model built for any input size, and returns the output.
     */
    static INDArray forward(
            BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> build,
            Map<String, INDArray> inputs) {
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
            long[] unknown = new long[e.getValue().rank()];
            Arrays.fill(unknown, -1);
            vars.put(e.getKey(), sd.placeHolder(e.getKey(), e.getValue().dataType(), unknown));
        }
        SDVariable out = build.apply(sd, vars);
        return sd.output(inputs, out.name()).get(out.name());
    }

    /** Asserts equal shapes and max |actual - expected| ≤ tol * (1 + max |expected|). */
    static void assertClose(INDArray actual, INDArray expected, double tol, String what) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double scale = 1 + expected.amaxNumber().doubleValue();
        double err = actual.castTo(expected.dataType()).sub(expected).amaxNumber().doubleValue();
        assertThat(err)
                .as(what + " max abs error (scale " + scale + ")")
                .isLessThanOrEqualTo(tol * scale);
    }

    private static Map<String, INDArray> arrays(JsonNode files) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        files.fields()
                .forEachRemaining(
                        e -> {
                            try {
                                out.put(e.getKey(), Npy.read(DIR.resolve(e.getValue().asText())));
                            } catch (IOException ex) {
                                throw new UncheckedIOException(ex);
                            }
                        });
        return out;
    }

    private static Path locate() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/ops/cases.json").toURI())
                    .getParent();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixtures/ops/cases.json not on the test classpath", e);
        }
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
