package org.voxel4j.nn.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.engine.ConcatOps;
import org.voxel4j.nn.engine.Engine;

/**
 * Shape helpers that work without static shapes.
 *
 * <p>Graphs are built with dynamic shapes: placeholders may have {@code -1} dimensions and {@link
 * SDVariable#getShape()} returns null for op outputs, so every helper here computes shapes at run
 * time from {@code sd.shape(x)} (a LONG vector). Where a helper needs the rank it takes it as an
 * argument; the layout is channels-first, {@code [N, C, (D,) H, W]}, so a tensor with {@code k}
 * spatial dimensions has rank {@code k + 2}.
 *
 * <p>Measured pitfalls of ND4J 1.0.0-M2.1 these helpers avoid (see ND4J-NOTES.md and the regression
 * tests): reductions with {@code keepDims = true} and negative axes compute wrong values, so only
 * non-negative axes are used; {@code stridedSlice} with an ellipsis mask ignores negative indices
 * and its backward fails for negative strides, so slices are spelled out for every axis and
 * reversal uses {@code reverse}; {@code reshape} does not accept 0 ("keep this dimension"), so
 * reshapes take a computed shape vector.
 *
 * <p>Shape vectors are built with slices, constant padding ({@link #padVector}) and elementwise
 * arithmetic ({@link #withDims}) rather than {@code concat}: on the shared 2-core build machines,
 * with {@code OMP_NUM_THREADS=2} and busy CPUs, ND4J's {@code concat} and {@code stack} took 7–15
 * ms per call even for 3-element vectors, against under 1 ms for {@code pad} or elementwise ops
 * (measured; on large arrays concat and pad cost the same). {@link #shapeOf} remains for the
 * general case.
 */
public final class Shapes {
    /** {@code end} value meaning "to the end of the axis" in {@link #slice}. */
    public static final long END = Long.MAX_VALUE;

    private Shapes() {}

    /** {@code sd.shape(x)}: the run-time shape of {@code x} as a LONG vector. */
    public static SDVariable shape(SameDiff sd, SDVariable x) {
        return sd.shape(x);
    }

    /**
     * Elements {@code [from, to)} of a shape vector (Python slicing; negative values count from the
     * end, {@link #END} means to the end). Returns null when the range is empty for certain ({@code
     * 0 <= to <= from}); {@link #shapeOf} skips null pieces.
     */
    public static SDVariable dims(SameDiff sd, SDVariable shape, long from, long to) {
        if (from >= 0 && to >= 0 && to <= from) {
            return null;
        }
        return slice(sd, shape, 1, 0, from, to);
    }

    /** A LONG vector constant, for building shape vectors. */
    public static SDVariable longs(SameDiff sd, long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }

    /**
     * Concatenates shape-vector pieces: each piece is an {@link SDVariable} (LONG vector), a {@code
     * long[]}, {@code Long} or {@code Integer} constant, or null (skipped).
     */
    public static SDVariable shapeOf(SameDiff sd, Object... pieces) {
        List<SDVariable> vars = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            Object p = pieces[i];
            if (p == null) {
                continue;
            } else if (p instanceof SDVariable v) {
                vars.add(v);
            } else if (p instanceof long[] l) {
                vars.add(longs(sd, l));
            } else if (p instanceof Long l) {
                vars.add(longs(sd, l));
            } else if (p instanceof Integer n) {
                vars.add(longs(sd, n.longValue()));
            } else {
                throw new IllegalArgumentException(
                        "shape piece " + i + " must be an SDVariable, long[] or Long, got " + p);
            }
        }
        if (vars.isEmpty()) {
            throw new IllegalArgumentException("shape has no pieces");
        }
        return vars.size() == 1 ? vars.get(0) : sd.concat(0, vars.toArray(new SDVariable[0]));
    }

    /**
     * A LONG vector padded with {@code before} and {@code after} copies of {@code value} (for
     * building shape vectors without {@code concat}).
     */
    public static SDVariable padVector(
            SameDiff sd, SDVariable v, int before, int after, long value) {
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException(
                    "padding must be >= 0, got before=" + before + " after=" + after);
        }
        if (before == 0 && after == 0) {
            return v;
        }
        return sd.nn.pad(
                v,
                sd.constant(Nd4j.createFromArray(new long[][] {{before, after}})),
                PadMode.CONSTANT,
                value);
    }

    /**
     * {@code shape * multiply + add} elementwise, for a shape vector of known length {@code
     * multiply.length}: e.g. {@code multiply = [1, 1, 0]}, {@code add = [0, 0, 5]} replaces the
     * last dimension by 5.
     */
    public static SDVariable withDims(SameDiff sd, SDVariable shape, long[] multiply, long[] add) {
        if (multiply.length != add.length) {
            throw new IllegalArgumentException(
                    "multiply and add must have equal lengths, got "
                            + Arrays.toString(multiply)
                            + " and "
                            + Arrays.toString(add));
        }
        SDVariable out = shape;
        if (Arrays.stream(multiply).anyMatch(m -> m != 1)) {
            out = out.mul(longs(sd, multiply));
        }
        if (Arrays.stream(add).anyMatch(a -> a != 0)) {
            out = out.add(longs(sd, add));
        }
        return out;
    }

    /**
     * Reshapes {@code [N, C, *S]} to {@code [N, C, prod(S)]} (PyTorch {@code x.flatten(2)}); a
     * rank-2 input {@code [N, C]} becomes {@code [N, C, 1]}.
     */
    public static SDVariable flattenSpatial(SameDiff sd, SDVariable x) {
        return sd.reshape(x, padVector(sd, dims(sd, sd.shape(x), 0, 2), 0, 1, -1));
    }

    /** Reshapes {@code x} to the run-time shape of {@code like}. */
    public static SDVariable reshapeLike(SameDiff sd, SDVariable x, SDVariable like) {
        return sd.reshape(x, sd.shape(like));
    }

    /**
     * Reshapes a per-channel parameter {@code [C]} to {@code [1, C, 1, ..., 1]} of the given rank
     * so it broadcasts over {@code [N, C, *S]}.
     */
    public static SDVariable channelParam(SameDiff sd, SDVariable p, int rank) {
        if (rank < 2) {
            throw new IllegalArgumentException("rank must be >= 2 for [N, C, ...], got " + rank);
        }
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[1] = -1;
        return sd.reshape(p, s);
    }

    /**
     * {@code x * scale[c] + shift[c]} for {@code x} of shape {@code [N, C, *S]} of any rank ≥ 2,
     * with {@code scale} and {@code shift} of shape {@code [C]} (either may be null). The rank need
     * not be known: {@code x} is viewed as {@code [N, C, prod(S)]}.
     */
    public static SDVariable affineChannels(
            SameDiff sd, SDVariable x, SDVariable scale, SDVariable shift) {
        if (scale == null && shift == null) {
            return x;
        }
        SDVariable flat = flattenSpatial(sd, x);
        if (scale != null) {
            flat = flat.mul(sd.reshape(scale, 1, -1, 1));
        }
        if (shift != null) {
            flat = flat.add(sd.reshape(shift, 1, -1, 1));
        }
        return reshapeLike(sd, flat, x);
    }

    /**
     * {@code x[..., begin:end, ...]} along {@code axis} of a rank-{@code rank} tensor, with Python
     * semantics: negative {@code begin}/{@code end} count from the end of the axis, {@code end ==
     * }{@link #END} means to the end. Use {@code sd.reverse} to reverse: the backward of negative
     * strides fails in ND4J 1.0.0-M2.1.
     */
    public static SDVariable slice(
            SameDiff sd, SDVariable x, int rank, int axis, long begin, long end) {
        return slice(sd, x, rank, axis, begin, end, 1);
    }

    /**
     * {@code x[..., begin:end:step, ...]} along {@code axis}, as {@link #slice(SameDiff,
     * SDVariable, int, int, long, long)} with a positive step.
     */
    public static SDVariable slice(
            SameDiff sd, SDVariable x, int rank, int axis, long begin, long end, long step) {
        checkAxis(rank, axis);
        if (step < 1) {
            throw new IllegalArgumentException(
                    "step must be >= 1 (the backward of negative strides fails in ND4J), got "
                            + step);
        }
        long[] b = new long[rank];
        long[] e = new long[rank];
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[axis] = step;
        int beginMask = 0;
        int endMask = 0;
        for (int d = 0; d < rank; d++) {
            if (d != axis) {
                beginMask |= 1 << d;
                endMask |= 1 << d;
            }
        }
        b[axis] = begin;
        if (end == END) {
            endMask |= 1 << axis;
        } else {
            e[axis] = end;
        }
        return sd.stridedSlice(x, b, e, s, beginMask, endMask, 0, 0, 0);
    }

    /**
     * Splits {@code [N, C, *S]} along the channel axis into pieces of the given channel counts
     * (PyTorch {@code torch.split(x, sizes, dim=1)}); the counts must add up to C.
     */
    public static SDVariable[] splitChannels(SameDiff sd, SDVariable x, int rank, int... sizes) {
        SDVariable[] out = new SDVariable[sizes.length];
        long at = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw new IllegalArgumentException(
                        "channel split sizes must be >= 1, got " + Arrays.toString(sizes));
            }
            out[i] = slice(sd, x, rank, 1, at, at + sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    /** Concatenates along the channel axis (PyTorch {@code torch.cat(xs, dim=1)}). */
    public static SDVariable concatChannels(SameDiff sd, SDVariable... xs) {
        if (xs.length == 1) {
            return xs[0];
        }
        return Engine.enabled() ? ConcatOps.concat(sd, 1, xs) : sd.concat(1, xs);
    }

    /**
     * Interleaves equally shaped tensors along {@code axis}: {@code out[.., i * f + r, ..] =
     * parts[r][.., i, ..]} with {@code f = parts.length}. The building block of integer-factor
     * upsampling.
     */
    public static SDVariable interleave(SameDiff sd, int rank, int axis, SDVariable... parts) {
        checkAxis(rank, axis);
        if (parts.length == 1) {
            return parts[0];
        }
        SDVariable shape = sd.shape(parts[0]);
        SDVariable[] expanded = new SDVariable[parts.length];
        for (int i = 0; i < parts.length; i++) {
            expanded[i] = sd.expandDims(parts[i], axis + 1);
        }
        SDVariable stacked = sd.concat(axis + 1, expanded);
        long[] mul = new long[rank];
        Arrays.fill(mul, 1);
        mul[axis] = parts.length;
        return sd.reshape(stacked, withDims(sd, shape, mul, new long[rank]));
    }

    /**
     * Repeats each element {@code times} times along {@code axis} (PyTorch {@code
     * x.repeat_interleave(times, dim=axis)}): nearest-neighbour upsampling of one axis.
     */
    public static SDVariable repeatInterleave(
            SameDiff sd, SDVariable x, int rank, int axis, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, got " + times);
        }
        if (times == 1) {
            return x;
        }
        SDVariable[] parts = new SDVariable[times];
        Arrays.fill(parts, x);
        return interleave(sd, rank, axis, parts);
    }

    /**
     * Circular shift along {@code axis} (PyTorch {@code torch.roll(x, shift, dim=axis)}: {@code
     * out[i] = x[(i - shift) mod n]}), built from two slices and a concat because ND4J's {@code
     * Roll} has no gradient. Requires {@code |shift| < n}, the axis length (not checked: the length
     * is only known at run time).
     */
    public static SDVariable roll(SameDiff sd, SDVariable x, int rank, int axis, long shift) {
        checkAxis(rank, axis);
        if (shift == 0) {
            return x;
        }
        if (shift > 0) {
            return sd.concat(
                    axis,
                    slice(sd, x, rank, axis, -shift, END),
                    slice(sd, x, rank, axis, 0, -shift));
        }
        long t = -shift;
        return sd.concat(axis, slice(sd, x, rank, axis, t, END), slice(sd, x, rank, axis, 0, t));
    }

    static void checkAxis(int rank, int axis) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        if (axis < 0 || axis >= rank) {
            throw new IllegalArgumentException(
                    "axis must be in [0, "
                            + rank
                            + ") (non-negative: ND4J reductions with"
                            + " negative axes and keepDims are wrong), got "
                            + axis);
        }
    }

    static void checkSpatialDims(int k) {
        if (k < 1 || k > 3) {
            throw new IllegalArgumentException(
                    "expected 1, 2 or 3 spatial dimensions (NCW, NCHW, NCDHW), got " + k);
        }
    }
}
