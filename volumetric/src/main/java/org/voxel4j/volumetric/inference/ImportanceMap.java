package org.voxel4j.volumetric.inference;

import java.util.Arrays;

/**
 * Per-voxel weights of one sliding window when overlapping predictions are blended.
 *
 * <p>{@link #gaussian}: MONAI's {@code compute_importance_map(patch, mode="gaussian", sigma_scale)}
 * (MONAI ≥ 0.9): the product over axes of {@code exp(-x² / (2σ²))} with {@code x} running from
 * {@code -(p-1)/2} to {@code (p-1)/2} (centred on the patch middle, so an even size has no voxel of
 * weight 1) and {@code σ = sigmaScale · p}; values are then clamped from below at {@code max(min,
 * 1e-3)}. With {@code sigmaScale = 1/8} this is nnU-Net's and TotalSegmentator's choice:
 * predictions near window borders, which see less context, count less.
 */
public final class ImportanceMap {
    private ImportanceMap() {}

    /** The Gaussian map of {@code patch} (C order), in float as MONAI returns it. */
    public static float[] gaussian(int[] patch, double sigmaScale) {
        check(patch);
        if (!(sigmaScale > 0) || Double.isInfinite(sigmaScale)) {
            throw new IllegalArgumentException(
                    "sigmaScale must be finite and > 0, got " + sigmaScale);
        }
        float[][] axes = new float[patch.length][];
        for (int a = 0; a < patch.length; a++) {
            int p = patch[a];
            // float, as torch.arange(dtype=float) and torch.exp in float32
            float sigma = (float) (sigmaScale * p);
            axes[a] = new float[p];
            for (int i = 0; i < p; i++) {
                float x = (float) (-(p - 1) / 2.0 + i);
                axes[a][i] = (float) Math.exp(x * x / (-2f * sigma * sigma));
            }
        }
        int n = 1;
        for (int p : patch) {
            n *= p;
        }
        float[] out = new float[n];
        Arrays.fill(out, 1f);
        int inner = n;
        for (int a = 0; a < patch.length; a++) {
            inner /= patch[a];
            for (int i = 0; i < n; i++) {
                out[i] *= axes[a][(i / inner) % patch[a]];
            }
        }
        float min = Float.MAX_VALUE;
        for (float v : out) {
            min = Math.min(min, v);
        }
        float floor = Math.max(min, 1e-3f);
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(out[i], floor);
        }
        return out;
    }

    /** Uniform weights (MONAI's {@code mode="constant"}). */
    public static float[] constant(int[] patch) {
        check(patch);
        int n = 1;
        for (int p : patch) {
            n *= p;
        }
        float[] out = new float[n];
        Arrays.fill(out, 1f);
        return out;
    }

    private static void check(int[] patch) {
        if (patch == null || patch.length < 1 || patch.length > 3) {
            throw new IllegalArgumentException(
                    "patch size " + Arrays.toString(patch) + ", expected 1 to 3 axes");
        }
        for (int p : patch) {
            if (p < 1) {
                throw new IllegalArgumentException(
                        "patch size " + Arrays.toString(patch) + " has an axis < 1");
            }
        }
    }
}
