package org.voxel4j.recon.iterative;

/**
 * Settings of the iterative solvers.
 *
 * @param iterations iteration budget (≥ 1); for OS-SART one iteration is one pass over all subsets
 * @param relaxation relaxation λ in (0, 2) for SIRT/SART (ignored by CGLS)
 * @param subsets number of ordered subsets for OS-SART (1 = SIRT-like, views = classic SART)
 * @param nonNegative project the image onto x ≥ 0 after every update
 * @param tvWeight weight of the TV step (Chambolle prox, {@link TvDenoise}) applied after every
 *     iteration; 0 disables it
 * @param tolerance stop when the relative residual ‖b − Ax‖/‖b‖ changes by less than this fraction
 *     between iterations (0 = run all iterations)
 * @param listener progress callback, may be null
 */
public record IterativeOptions(
        int iterations,
        double relaxation,
        int subsets,
        boolean nonNegative,
        double tvWeight,
        double tolerance,
        IterationListener listener) {
    public IterativeOptions {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (!(relaxation > 0 && relaxation < 2)) {
            throw new IllegalArgumentException("relaxation must be in (0, 2), got " + relaxation);
        }
        if (subsets < 1) {
            throw new IllegalArgumentException("subsets must be >= 1, got " + subsets);
        }
        if (!(tvWeight >= 0) || Double.isInfinite(tvWeight)) {
            throw new IllegalArgumentException("tvWeight must be >= 0, got " + tvWeight);
        }
        if (!(tolerance >= 0) || tolerance >= 1) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
        }
    }

    /** {@code iterations} plain iterations: λ = 1, one subset, no constraints, no TV. */
    public static IterativeOptions of(int iterations) {
        return new IterativeOptions(iterations, 1.0, 1, false, 0, 0, null);
    }

    public IterativeOptions withRelaxation(double v) {
        return new IterativeOptions(
                iterations, v, subsets, nonNegative, tvWeight, tolerance, listener);
    }

    public IterativeOptions withSubsets(int v) {
        return new IterativeOptions(
                iterations, relaxation, v, nonNegative, tvWeight, tolerance, listener);
    }

    public IterativeOptions withNonNegative(boolean v) {
        return new IterativeOptions(
                iterations, relaxation, subsets, v, tvWeight, tolerance, listener);
    }

    public IterativeOptions withTv(double weight) {
        return new IterativeOptions(
                iterations, relaxation, subsets, nonNegative, weight, tolerance, listener);
    }

    public IterativeOptions withTolerance(double v) {
        return new IterativeOptions(
                iterations, relaxation, subsets, nonNegative, tvWeight, v, listener);
    }

    public IterativeOptions withListener(IterationListener v) {
        return new IterativeOptions(
                iterations, relaxation, subsets, nonNegative, tvWeight, tolerance, v);
    }
}
