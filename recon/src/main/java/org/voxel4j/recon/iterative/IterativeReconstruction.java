package org.voxel4j.recon.iterative;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.recon.Parallel;
import org.voxel4j.recon.project.Projector;

/**
 * Algebraic reconstruction on any {@link Projector} (2D or 3D, parallel, fan or cone):
 *
 * <ul>
 *   <li>SIRT: {@code x ← x + λ C Aᵀ R (b − A x)}, R and C the inverse row and column sums of A (P.
 *       Gilbert, J. Theor. Biol. 36, 1972; the form of the ASTRA Toolbox's SIRT).
 *   <li>OS-SART: the same update restricted to interleaved subsets of views, C computed per subset
 *       (A. H. Andersen, A. C. Kak, Ultrason. Imaging 6, 1984; H. Erdogan, J. Fessler for ordered
 *       subsets); one subset per view is classic SART.
 *   <li>CGLS: conjugate gradients on the normal equations {@code AᵀA x = Aᵀ b} (Hestenes–Stiefel).
 * </ul>
 *
 * Options ({@link IterativeOptions}): non-negativity (projection after each update), a TV step
 * ({@link TvDenoise#chambolle} with the given weight after each iteration, i.e. proximal TV as in
 * SIRT-TV/SART-TV), a stopping tolerance on the change of the relative residual, and a progress
 * callback. For CGLS the constraints are applied after each iteration and the conjugate directions
 * restarted; without constraints CGLS is the plain method.
 */
public final class IterativeReconstruction {
    private IterativeReconstruction() {}

    /** SIRT from a zero start. */
    public static IterativeResult sirt(Projector a, double[] b, IterativeOptions o) {
        return sart(a, b, o.withSubsets(1));
    }

    /** OS-SART with {@code o.subsets()} interleaved subsets (1 = SIRT). */
    public static IterativeResult sart(Projector a, double[] b, IterativeOptions o) {
        checkData(a, b);
        int nv = a.volumeSize();
        int views = a.views();
        int per = a.valuesPerView();
        int m = Math.min(o.subsets(), views);
        int[][] subsets = new int[m][];
        for (int s = 0; s < m; s++) {
            int cnt = (views - s + m - 1) / m;
            subsets[s] = new int[cnt];
            for (int i = 0; i < cnt; i++) {
                subsets[s][i] = s + i * m;
            }
        }
        // R = 1 / row sums (A·1), C_s = 1 / column sums of each subset (A_sᵀ·1)
        double[] ones = new double[nv];
        Arrays.fill(ones, 1.0);
        double[] rowSum = new double[a.projectionSize()];
        a.forward(ones, rowSum);
        double[] invRow = new double[rowSum.length];
        for (int i = 0; i < rowSum.length; i++) {
            invRow[i] = rowSum[i] > 1e-12 ? 1.0 / rowSum[i] : 0.0;
        }
        double[] onesP = new double[a.projectionSize()];
        Arrays.fill(onesP, 1.0);
        double[][] invCol = new double[m][nv];
        double[] tmp = new double[nv];
        for (int s = 0; s < m; s++) {
            a.adjoint(onesP, tmp, subsets[s]);
            for (int j = 0; j < nv; j++) {
                invCol[s][j] = tmp[j] > 1e-12 ? 1.0 / tmp[j] : 0.0;
            }
        }
        double bNorm = norm(b);
        double[] x = new double[nv];
        double[] ax = new double[b.length];
        double[] r = new double[b.length];
        double[] back = new double[nv];
        Progress progress = new Progress(o);
        while (progress.more()) {
            for (int s = 0; s < m; s++) {
                int[] sel = subsets[s];
                a.forward(x, ax, sel);
                for (int v : sel) {
                    for (int j = v * per, e = (v + 1) * per; j < e; j++) {
                        r[j] = (b[j] - ax[j]) * invRow[j];
                    }
                }
                a.adjoint(r, back, sel);
                double lam = o.relaxation();
                double[] ic = invCol[s];
                boolean nonNeg = o.nonNegative();
                Parallel.forRange(
                        nv,
                        (from, to) -> {
                            for (int j = from; j < to; j++) {
                                double v = x[j] + lam * ic[j] * back[j];
                                x[j] = nonNeg && v < 0 ? 0 : v;
                            }
                        });
            }
            if (o.tvWeight() > 0) {
                double[] d = TvDenoise.chambolle(x, a.volumeShape(), o.tvWeight(), 2e-4, 200);
                System.arraycopy(d, 0, x, 0, nv);
                if (o.nonNegative()) {
                    clampNonNegative(x);
                }
            }
            a.forward(x, ax);
            if (progress.converged(relResidual(b, ax, bNorm))) {
                break;
            }
        }
        return progress.result(x);
    }

    /** CGLS from a zero start. */
    public static IterativeResult cgls(Projector a, double[] b, IterativeOptions o) {
        checkData(a, b);
        int nv = a.volumeSize();
        double bNorm = norm(b);
        double[] x = new double[nv];
        double[] r = b.clone(); // b - A x
        double[] s = new double[nv];
        a.adjoint(r, s);
        double[] p = s.clone();
        double gamma = dot(s, s);
        double[] q = new double[b.length];
        Progress progress = new Progress(o);
        boolean constrained = o.nonNegative() || o.tvWeight() > 0;
        while (progress.more()) {
            a.forward(p, q);
            double qq = dot(q, q);
            if (qq == 0 || gamma == 0) {
                progress.exact(relResidual(b, subtract(b, r), bNorm));
                break;
            }
            double alpha = gamma / qq;
            for (int j = 0; j < nv; j++) {
                x[j] += alpha * p[j];
            }
            for (int i = 0; i < r.length; i++) {
                r[i] -= alpha * q[i];
            }
            if (constrained) {
                if (o.tvWeight() > 0) {
                    double[] d = TvDenoise.chambolle(x, a.volumeShape(), o.tvWeight(), 2e-4, 200);
                    System.arraycopy(d, 0, x, 0, nv);
                }
                if (o.nonNegative()) {
                    clampNonNegative(x);
                }
                // restart from the constrained point
                a.forward(x, q);
                for (int i = 0; i < r.length; i++) {
                    r[i] = b[i] - q[i];
                }
                a.adjoint(r, s);
                gamma = dot(s, s);
                System.arraycopy(s, 0, p, 0, nv);
            } else {
                a.adjoint(r, s);
                double gNew = dot(s, s);
                double beta = gNew / gamma;
                gamma = gNew;
                for (int j = 0; j < nv; j++) {
                    p[j] = s[j] + beta * p[j];
                }
            }
            if (progress.converged(norm(r) / (bNorm == 0 ? 1 : bNorm))) {
                break;
            }
        }
        return progress.result(x);
    }

    /**
     * The residual history of an iterative solver: records each iteration's relative residual,
     * reports it to the options' listener and applies the stopping tolerance (relative change of
     * the residual between iterations).
     */
    private static final class Progress {
        private final IterativeOptions o;
        private final double[] residuals;
        private int it;
        private boolean converged;
        private double prev = Double.NaN;

        Progress(IterativeOptions o) {
            this.o = o;
            this.residuals = new double[o.iterations()];
        }

        boolean more() {
            return it < o.iterations();
        }

        /** Records {@code res}; true when the tolerance says the solver has converged. */
        boolean converged(double res) {
            residuals[it++] = res;
            if (o.listener() != null) {
                o.listener().onIteration(it, o.iterations(), res);
            }
            if (o.tolerance() > 0 && it > 1 && Math.abs(prev - res) <= o.tolerance() * prev) {
                converged = true;
            }
            prev = res;
            return converged;
        }

        /** Records the residual of an exact solution (nothing left to minimise). */
        void exact(double res) {
            residuals[it++] = res;
            converged = true;
        }

        IterativeResult result(double[] x) {
            return new IterativeResult(x, it, Arrays.copyOf(residuals, it), converged);
        }
    }

    /** INDArray entry point for {@link #sirt}, {@link #sart} or {@link #cgls} by name. */
    public static INDArray reconstruct(
            String method, Projector a, INDArray projections, IterativeOptions o) {
        long[] want = Arrays.stream(a.projectionShape()).asLongStream().toArray();
        if (!Arrays.equals(projections.shape(), want)) {
            throw new IllegalArgumentException(
                    "projections have shape "
                            + Arrays.toString(projections.shape())
                            + ", expected "
                            + Arrays.toString(want));
        }
        double[] b = projections.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        IterativeResult r =
                switch (method) {
                    case "sirt" -> sirt(a, b, o);
                    case "sart", "os-sart" -> sart(a, b, o);
                    case "cgls" -> cgls(a, b, o);
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown iterative method '"
                                            + method
                                            + "', expected sirt, sart or cgls");
                };
        INDArray out =
                Nd4j.create(
                        r.image(), Arrays.stream(a.volumeShape()).asLongStream().toArray(), 'c');
        return projections.dataType() == DataType.DOUBLE ? out : out.castTo(projections.dataType());
    }

    private static void checkData(Projector a, double[] b) {
        if (b.length != a.projectionSize()) {
            throw new IllegalArgumentException(
                    "projection data has "
                            + b.length
                            + " values, the projector expects "
                            + Arrays.toString(a.projectionShape())
                            + " = "
                            + a.projectionSize());
        }
    }

    private static void clampNonNegative(double[] x) {
        for (int j = 0; j < x.length; j++) {
            if (x[j] < 0) {
                x[j] = 0;
            }
        }
    }

    private static double[] subtract(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    private static double relResidual(double[] b, double[] ax, double bNorm) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            double d = b[i] - ax[i];
            s += d * d;
        }
        return Math.sqrt(s) / (bNorm == 0 ? 1 : bNorm);
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
