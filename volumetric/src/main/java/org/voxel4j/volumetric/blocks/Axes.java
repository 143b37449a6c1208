package org.voxel4j.volumetric.blocks;

import java.util.ArrayList;
import java.util.List;

/** Validation and expansion of per-axis settings shared by blocks and networks. */
public final class Axes {
    private Axes() {}

    /** Throws unless {@code spatialDims} is 2 or 3. */
    public static void checkSpatialDims(String owner, int spatialDims) {
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException(
                    owner + " supports 2 or 3 spatial dims, got " + spatialDims);
        }
    }

    /** Throws unless {@code v > 0}. */
    public static void checkPositive(String owner, String what, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(owner + " " + what + " must be > 0, got " + v);
        }
    }

    /**
     * Copies {@code values} (1 value = every axis, or one per axis) to an immutable list with one
     * entry per spatial axis, each at least {@code min}.
     */
    public static List<Integer> perAxis(
            String owner, String what, List<Integer> values, int spatialDims, int min) {
        if (values == null || (values.size() != 1 && values.size() != spatialDims)) {
            throw new IllegalArgumentException(
                    owner + " " + what + " needs 1 or " + spatialDims + " values, got " + values);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < spatialDims; i++) {
            Integer v = values.get(values.size() == 1 ? 0 : i);
            if (v == null || v < min) {
                throw new IllegalArgumentException(
                        owner + " " + what + " must be >= " + min + " per axis, got " + values);
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** {@code n} copies of {@code v}. */
    public static List<Integer> repeat(int v, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(v);
        }
        return List.copyOf(out);
    }

    /**
     * Per-level down-sampling factors: {@code levels} entries, each expanded to one factor per
     * axis; null means factor 2 everywhere.
     */
    public static List<List<Integer>> strides(
            String owner, List<List<Integer>> strides, int levels, int spatialDims) {
        List<List<Integer>> out = new ArrayList<>();
        if (strides == null) {
            for (int l = 0; l < levels; l++) {
                out.add(repeat(2, spatialDims));
            }
            return List.copyOf(out);
        }
        if (strides.size() != levels) {
            throw new IllegalArgumentException(
                    owner
                            + " needs one stride per down-sampling step ("
                            + levels
                            + "), got "
                            + strides.size()
                            + ": "
                            + strides);
        }
        for (List<Integer> s : strides) {
            out.add(perAxis(owner, "stride", s, spatialDims, 1));
        }
        return List.copyOf(out);
    }

    /** Elementwise product of per-axis factors. */
    public static int[] times(int[] a, List<Integer> b) {
        int[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= b.get(i);
        }
        return out;
    }

    /** The list as an int array. */
    public static int[] ints(List<Integer> v) {
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Product of the entries. */
    public static long product(List<Integer> v) {
        long p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }

    /** True if every entry is 1. */
    public static boolean allOnes(List<Integer> v) {
        return v.stream().allMatch(x -> x == 1);
    }
}
