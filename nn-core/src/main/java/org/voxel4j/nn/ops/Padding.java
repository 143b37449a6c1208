package org.voxel4j.nn.ops;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spatial padding of channels-first tensors {@code [N, C, *S]} with PyTorch {@code F.pad} semantics
 * for the modes {@code 'constant'}, {@code 'reflect'}, {@code 'replicate'} and {@code 'circular'}.
 *
 * <p>Padding amounts are given per spatial axis in axis order, {@code (before_0, after_0, before_1,
 * after_1, ...)} for {@code (D, H, W)} (3D), {@code (H, W)} (2D) or {@code (W)} (1D); the number of
 * spatial axes, hence the rank, follows from the number of amounts. <b>PyTorch's {@code F.pad}
 * lists the last axis first</b>; {@link #fromTorch} converts.
 *
 * <p>Reflect, replicate and circular padding are built from slices and concatenation, one axis
 * after the other (first axis first, which gives PyTorch's corner values): ND4J's {@code pad} in
 * REFLECT / SYMMETRIC mode has the gradient of constant padding (regression test in {@code
 * PaddingTest}), and it has no replicate or circular mode. Constant padding uses ND4J's {@code
 * pad}, whose gradient is correct.
 *
 * <p>Limits (as in PyTorch, but only detectable at run time, since shapes are dynamic): reflect
 * needs {@code pad < n}, circular needs {@code pad <= n}, for an axis of length {@code n}. Negative
 * (cropping) amounts are rejected.
 */
public final class Padding {
    private Padding() {}

    /** Padding mode, named after PyTorch's {@code F.pad(mode=...)}. */
    public enum Mode {
        /** Fill with a constant value ({@code 'constant'}). */
        CONSTANT,
        /** Mirror without repeating the edge: {@code [c b | a b c d | c b]} ({@code 'reflect'}). */
        REFLECT,
        /** Repeat the edge value: {@code [a a | a b c d | d d]} ({@code 'replicate'}). */
        REPLICATE,
        /** Wrap around: {@code [c d | a b c d | a b]} ({@code 'circular'}). */
        CIRCULAR
    }

    /** Zero padding (PyTorch {@code F.pad(x, pads)}). */
    public static SDVariable zeros(SameDiff sd, SDVariable x, int... pads) {
        return constant(sd, x, 0.0, pads);
    }

    /** Constant padding with {@code value} (PyTorch {@code F.pad(x, pads, value=value)}). */
    public static SDVariable constant(SameDiff sd, SDVariable x, double value, int... pads) {
        return build(sd, x, Mode.CONSTANT, value, pads);
    }

    /**
     * Pads the spatial axes of {@code x} (PyTorch {@code F.pad(x, pads, mode)}, with the pads in
     * this class's order); {@link Mode#CONSTANT} pads with zeros.
     *
     * @param mode padding mode
     * @param pads {@code (before, after)} per spatial axis, first spatial axis first; length 2, 4
     *     or 6
     */
    public static SDVariable pad(SameDiff sd, SDVariable x, Mode mode, int... pads) {
        return build(sd, x, mode, 0.0, pads);
    }

    private static SDVariable build(
            SameDiff sd, SDVariable x, Mode mode, double value, int[] pads) {
        if (mode == null) {
            throw new IllegalArgumentException("padding mode must not be null");
        }
        int k = checkPads(pads);
        int rank = k + 2;
        boolean any = Arrays.stream(pads).anyMatch(p -> p != 0);
        if (!any) {
            return x;
        }
        if (mode == Mode.CONSTANT) {
            long[][] p = new long[rank][2];
            for (int i = 0; i < k; i++) {
                p[2 + i][0] = pads[2 * i];
                p[2 + i][1] = pads[2 * i + 1];
            }
            return sd.nn.pad(x, sd.constant(Nd4j.createFromArray(p)), PadMode.CONSTANT, value);
        }
        SDVariable out = x;
        for (int i = 0; i < k; i++) {
            out = padAxis(sd, out, rank, 2 + i, pads[2 * i], pads[2 * i + 1], mode);
        }
        return out;
    }

    /**
     * Pads one axis (any axis, any rank) in REFLECT, REPLICATE or CIRCULAR mode.
     *
     * @param axis non-negative axis index
     */
    public static SDVariable padAxis(
            SameDiff sd, SDVariable x, int rank, int axis, int before, int after, Mode mode) {
        Shapes.checkAxis(rank, axis);
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException(
                    "padding amounts must be >= 0, got before=" + before + " after=" + after);
        }
        if (before == 0 && after == 0) {
            return x;
        }
        SDVariable lo = null;
        SDVariable hi = null;
        switch (mode) {
            case REFLECT -> {
                // x[before:0:-1] and x[-2:-2-after:-1] as single-index slices in reversed order,
                // concatenated once: ND4J's reverse (and its backward) took 1.5-3 ms per call on
                // small feature maps, several times the cost of the convolution being padded
                // (measured on an FFC network, 32x32 maps); slices cost ~0.02 ms each.
                SDVariable[] parts = new SDVariable[before + 1 + after];
                for (int j = 0; j < before; j++) {
                    parts[j] = Shapes.slice(sd, x, rank, axis, before - j, before - j + 1);
                }
                parts[before] = x;
                for (int j = 0; j < after; j++) {
                    long at = -2 - j;
                    parts[before + 1 + j] = Shapes.slice(sd, x, rank, axis, at, at + 1);
                }
                return sd.concat(axis, parts);
            }
            case REPLICATE -> {
                if (before > 0) {
                    lo = repeat(sd, Shapes.slice(sd, x, rank, axis, 0, 1), axis, before);
                }
                if (after > 0) {
                    hi = repeat(sd, Shapes.slice(sd, x, rank, axis, -1, Shapes.END), axis, after);
                }
            }
            case CIRCULAR -> {
                if (before > 0) {
                    lo = Shapes.slice(sd, x, rank, axis, -before, Shapes.END);
                }
                if (after > 0) {
                    hi = Shapes.slice(sd, x, rank, axis, 0, after);
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "padAxis handles REFLECT, REPLICATE and CIRCULAR, got " + mode);
        }
        if (lo != null && hi != null) {
            return sd.concat(axis, lo, x, hi);
        }
        return lo != null ? sd.concat(axis, lo, x) : sd.concat(axis, x, hi);
    }

    /**
     * Converts PyTorch {@code F.pad} amounts (last axis first: {@code (W_left, W_right, H_top,
     * H_bottom, D_front, D_back)}) to this class's order (first spatial axis first).
     */
    public static int[] fromTorch(int... torchPads) {
        if (torchPads.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "padding needs (before, after) pairs, got " + Arrays.toString(torchPads));
        }
        int k = torchPads.length / 2;
        int[] out = new int[torchPads.length];
        for (int i = 0; i < k; i++) {
            out[2 * i] = torchPads[2 * (k - 1 - i)];
            out[2 * i + 1] = torchPads[2 * (k - 1 - i) + 1];
        }
        return out;
    }

    private static SDVariable repeat(SameDiff sd, SDVariable edge, int axis, int times) {
        if (times == 1) {
            return edge;
        }
        SDVariable[] copies = new SDVariable[times];
        Arrays.fill(copies, edge);
        return sd.concat(axis, copies);
    }

    private static int checkPads(int[] pads) {
        if (pads == null || pads.length == 0 || pads.length % 2 != 0 || pads.length > 6) {
            throw new IllegalArgumentException(
                    "pads must be (before, after) pairs for 1 to 3 spatial axes, got "
                            + Arrays.toString(pads));
        }
        for (int p : pads) {
            if (p < 0) {
                throw new IllegalArgumentException(
                        "padding amounts must be >= 0, got " + Arrays.toString(pads));
            }
        }
        return pads.length / 2;
    }
}
