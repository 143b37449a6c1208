package org.voxel4j.recon.iterative;

/**
 * Output of an iterative solver.
 *
 * @param image the reconstruction, row-major in the projector's volume shape
 * @param iterations iterations run
 * @param residuals relative residual ‖b − Ax‖/‖b‖ after each iteration
 * @param converged whether the tolerance stopped the run before the budget
 */
public record IterativeResult(
        double[] image, int iterations, double[] residuals, boolean converged) {}
