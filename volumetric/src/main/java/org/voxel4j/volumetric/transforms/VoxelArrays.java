package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between ND4J arrays and flat Java arrays in C (row-major) order, plus the shape
 * arithmetic the voxel routines share.
 *
 * <p>The numeric routines of this module run on flat Java arrays (exact, allocation-controlled,
 * easy to multi-thread); {@code INDArray} is only the exchange format at the API boundary. Every
 * conversion copies.
 */
public final class VoxelArrays {
    private VoxelArrays() {}

    /** The shape of {@code x} as ints; rejects empty arrays and axes longer than 2^31 - 1. */
    public static int[] shapeOf(INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException("array is null");
        }
        long[] s = x.shape();
        if (s.length == 0) {
            throw new IllegalArgumentException(
                    "expected an array with at least one axis, got a scalar");
        }
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] <= 0 || s[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "array shape "
                                + Arrays.toString(s)
                                + " has an empty or oversized axis "
                                + i);
            }
            out[i] = (int) s[i];
        }
        size(out);
        return out;
    }

    /** Number of elements of {@code shape}; throws when it exceeds 2^31 - 1. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " has a non-positive axis length");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "shape "
                                + Arrays.toString(shape)
                                + " has more than 2^31-1 elements; crop or resample first");
            }
        }
        return (int) n;
    }

    /** C-order strides (in elements) of {@code shape}. */
    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    private static INDArray contiguous(INDArray x) {
        boolean plain =
                !x.isView()
                        && x.ordering() == 'c'
                        && x.offset() == 0
                        && x.data().length() == x.length();
        return plain ? x : x.dup('c');
    }

    /** Values of {@code x} in C order as doubles (exact for every float32 and int32 value). */
    public static double[] toDoubles(INDArray x) {
        shapeOf(x);
        return contiguous(x).data().asDouble();
    }

    /** Values of {@code x} in C order as floats. */
    public static float[] toFloats(INDArray x) {
        shapeOf(x);
        return contiguous(x).data().asFloat();
    }

    /**
     * Values of a label map in C order. Floating-point label maps are accepted when every value is
     * an integer (as NIfTI label files often store them); anything else is rejected.
     */
    public static int[] toLabels(INDArray x) {
        shapeOf(x);
        INDArray c = contiguous(x);
        DataType t = c.dataType();
        if (t.isIntType() || t == DataType.BOOL) {
            if (t == DataType.INT64 || t == DataType.UINT32 || t == DataType.UINT64) {
                long[] v = c.data().asLong();
                int[] out = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(
                                "label value "
                                        + v[i]
                                        + " at flat index "
                                        + i
                                        + " does not fit int");
                    }
                    out[i] = (int) v[i];
                }
                return out;
            }
            return c.data().asInt();
        }
        double[] v = c.data().asDouble();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "label map holds the non-integer value "
                                + d
                                + " at flat index "
                                + i
                                + "; expected integer labels");
            }
            out[i] = (int) d;
        }
        return out;
    }

    /** {@code true} where {@code x} is non-zero (NaN counts as non-zero). */
    public static boolean[] toMask(INDArray x) {
        double[] v = toDoubles(x);
        boolean[] m = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = v[i] != 0.0;
        }
        return m;
    }

    private static long[] longShape(int[] shape, int length) {
        if (size(shape) != length) {
            throw new IllegalArgumentException(
                    "data of length " + length + " does not match shape " + Arrays.toString(shape));
        }
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    /** A new array of the given shape and type holding {@code data} (C order). */
    public static INDArray fromDoubles(double[] data, int[] shape, DataType type) {
        INDArray a = Nd4j.createFromArray(data).reshape('c', longShape(shape, data.length));
        return type == DataType.DOUBLE ? a : a.castTo(type);
    }

    /** A new FLOAT array of the given shape holding {@code data} (C order). */
    public static INDArray fromFloats(float[] data, int[] shape) {
        return Nd4j.createFromArray(data).reshape('c', longShape(shape, data.length));
    }

    /** A new INT32 array of the given shape holding {@code data} (C order). */
    public static INDArray fromInts(int[] data, int[] shape) {
        return Nd4j.createFromArray(data).reshape('c', longShape(shape, data.length));
    }

    /** A new INT32 array with 1 where {@code mask} is true. */
    public static INDArray fromMask(boolean[] mask, int[] shape) {
        int[] v = new int[mask.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = mask[i] ? 1 : 0;
        }
        return fromInts(v, shape);
    }

    /**
     * Checks a spacing vector: one strictly positive, finite value in millimetres per spatial axis.
     */
    public static double[] checkSpacing(double[] spacingMm, int spatialRank) {
        if (spacingMm == null) {
            throw new IllegalArgumentException("spacing is null");
        }
        if (spacingMm.length != spatialRank) {
            throw new IllegalArgumentException(
                    "spacing "
                            + Arrays.toString(spacingMm)
                            + " has "
                            + spacingMm.length
                            + " values, expected one per spatial axis ("
                            + spatialRank
                            + ")");
        }
        for (double s : spacingMm) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "spacing "
                                + Arrays.toString(spacingMm)
                                + " holds "
                                + s
                                + "; expected finite values > 0 mm");
            }
        }
        return spacingMm.clone();
    }
}
