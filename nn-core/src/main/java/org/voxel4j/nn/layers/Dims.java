package org.voxel4j.nn.layers;

import java.util.ArrayList;
import java.util.List;

/** Validation and expansion of per-axis settings (kernel, stride, padding) of spatial layers. */
final class Dims {
    private Dims() {}

    static void checkSpatialDims(String layer, int spatialDims) {
        if (spatialDims < 1 || spatialDims > 3) {
            throw new IllegalArgumentException(
                    layer + " supports 1, 2 or 3 spatial dims, got " + spatialDims);
        }
    }

    /** Copies {@code values}, expanding a single value to every axis, and checks the range. */
    static List<Integer> perAxis(
            String layer, String what, List<Integer> values, int spatialDims, int min) {
        if (values == null || (values.size() != 1 && values.size() != spatialDims)) {
            throw new IllegalArgumentException(
                    layer + " " + what + " needs 1 or " + spatialDims + " values, got " + values);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < spatialDims; i++) {
            int v = values.get(values.size() == 1 ? 0 : i);
            if (v < min) {
                throw new IllegalArgumentException(
                        layer + " " + what + " must be >= " + min + ", got " + values);
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    static void checkPositive(String layer, String what, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(layer + " " + what + " must be > 0, got " + v);
        }
    }

    static long product(List<Integer> values) {
        long p = 1;
        for (int v : values) {
            p *= v;
        }
        return p;
    }

    static List<Integer> repeat(int v, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(v);
        }
        return List.copyOf(out);
    }
}
