package org.voxel4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named model input of fixed rank; a dimension of -1 is free (batch, spatial size), any other
 * value is required.
 *
 * @param name placeholder name, e.g. {@code image}
 * @param shape dims, e.g. {@code [-1, 1, -1, -1, -1]} for a one-channel 3D batch
 */
public record InputSpec(String name, List<Long> shape) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public InputSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "input name must match [A-Za-z][A-Za-z0-9_]*, got '" + name + "'");
        }
        if (shape == null || shape.isEmpty()) {
            throw new IllegalArgumentException("input '" + name + "' needs a shape");
        }
        for (long d : shape) {
            if (d == 0 || d < -1) {
                throw new IllegalArgumentException(
                        "input '" + name + "' dims must be > 0 or -1 (free), got " + shape);
            }
        }
        shape = List.copyOf(shape);
    }

    /** {@code InputSpec.of("image", -1, 1, -1, -1, -1)}. */
    public static InputSpec of(String name, long... shape) {
        return new InputSpec(name, Arrays.stream(shape).boxed().toList());
    }

    /** The shape as an array. */
    public long[] dims() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    /** Throws a clear error if {@code x} does not fit this spec. */
    public void check(INDArray x) {
        long[] s = x.shape();
        boolean ok = s.length == shape.size();
        for (int i = 0; ok && i < s.length; i++) {
            ok = shape.get(i) == -1 || shape.get(i) == s[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    "input '"
                            + name
                            + "' expects shape "
                            + shape
                            + " (-1 = any), got "
                            + Arrays.toString(s));
        }
    }
}
