package org.voxel4j.nn.io;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/** Small 4x4 affine helpers shared by the readers and writers. */
final class Affines {
    private Affines() {}

    /** The length of column {@code c} of the 3x3 part of {@code a} (the spacing of file axis c). */
    static double columnNorm(double[][] a, int c) {
        return Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
    }

    /** Flips LPS+ world coordinates to RAS+ (or back): negates rows 0 and 1. */
    static double[][] flipLpsRas(double[][] a) {
        double[][] r = Volume.copy(a);
        for (int c = 0; c < 4; c++) {
            r[0][c] = -r[0][c];
            r[1][c] = -r[1][c];
        }
        return r;
    }

    /** The affine {@code [[dir * diag(spacing), origin], [0, 0, 0, 1]]}. */
    static double[][] compose(double[][] dir, double[] spacing, double[] origin) {
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[r][c] = dir[r][c] * spacing[c];
            }
            a[r][3] = origin[r];
        }
        a[3][3] = 1;
        return a;
    }

    /**
     * Rotation matrix of the unit quaternion (w, x, y, z), as nibabel's {@code quat2mat} (and the
     * NIfTI-1 standard's {@code nifti_quatern_to_mat44}) compute it.
     */
    static double[][] quaternionToMatrix(double w, double x, double y, double z) {
        double nq = w * w + x * x + y * y + z * z;
        if (nq < 2.220446049250313e-16) {
            return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        }
        double s = 2.0 / nq;
        double xs = x * s;
        double ys = y * s;
        double zs = z * s;
        double wx = w * xs;
        double wy = w * ys;
        double wz = w * zs;
        double xx = x * xs;
        double xy = x * ys;
        double xz = x * zs;
        double yy = y * ys;
        double yz = y * zs;
        double zz = z * zs;
        return new double[][] {
            {1.0 - (yy + zz), xy - wz, xz + wy},
            {xy + wz, 1.0 - (xx + zz), yz - wx},
            {xz - wy, yz + wx, 1.0 - (xx + yy)}
        };
    }

    /** qform parameters of an affine: quaternion (b, c, d), qfac, zooms and offsets. */
    record Qform(double b, double c, double d, double qfac, double[] zooms, double[] offset) {}

    /**
     * NIfTI-1 qform parameters of {@code a} (the algorithm of {@code nifti_mat44_to_quatern}, with
     * the rotation made orthogonal by polar decomposition, as nibabel's {@code set_qform} strips
     * shears).
     */
    static Qform toQform(double[][] a) {
        double[] zooms = new double[3];
        double[][] m = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = columnNorm(a, c);
            zooms[c] = n > 0 ? n : 1;
            for (int r = 0; r < 3; r++) {
                m[r][c] = n > 0 ? a[r][c] / n : (r == c ? 1 : 0);
            }
        }
        SingularValueDecomposition svd =
                new SingularValueDecomposition(new Array2DRowRealMatrix(m));
        RealMatrix q = svd.getU().multiply(svd.getVT());
        double[][] r = q.getData();
        double det =
                r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
                        - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            for (int i = 0; i < 3; i++) {
                r[i][2] = -r[i][2];
            }
        }
        double w;
        double x;
        double y;
        double z;
        double t = r[0][0] + r[1][1] + r[2][2] + 1;
        if (t > 0.5) {
            w = 0.5 * Math.sqrt(t);
            x = 0.25 * (r[2][1] - r[1][2]) / w;
            y = 0.25 * (r[0][2] - r[2][0]) / w;
            z = 0.25 * (r[1][0] - r[0][1]) / w;
        } else {
            double xd = 1.0 + r[0][0] - (r[1][1] + r[2][2]);
            double yd = 1.0 + r[1][1] - (r[0][0] + r[2][2]);
            double zd = 1.0 + r[2][2] - (r[0][0] + r[1][1]);
            if (xd > 1.0) {
                x = 0.5 * Math.sqrt(xd);
                y = 0.25 * (r[0][1] + r[1][0]) / x;
                z = 0.25 * (r[0][2] + r[2][0]) / x;
                w = 0.25 * (r[2][1] - r[1][2]) / x;
            } else if (yd > 1.0) {
                y = 0.5 * Math.sqrt(yd);
                x = 0.25 * (r[0][1] + r[1][0]) / y;
                z = 0.25 * (r[1][2] + r[2][1]) / y;
                w = 0.25 * (r[0][2] - r[2][0]) / y;
            } else {
                z = 0.5 * Math.sqrt(zd);
                x = 0.25 * (r[0][2] + r[2][0]) / z;
                y = 0.25 * (r[1][2] + r[2][1]) / z;
                w = 0.25 * (r[1][0] - r[0][1]) / z;
            }
            if (w < 0) {
                x = -x;
                y = -y;
                z = -z;
            }
        }
        return new Qform(x, y, z, qfac, zooms, new double[] {a[0][3], a[1][3], a[2][3]});
    }

    /** True if the 3x3 part of {@code a} is an orthogonal matrix times a diagonal (no shear). */
    static boolean isShearFree(double[][] a, double tol) {
        for (int c1 = 0; c1 < 3; c1++) {
            for (int c2 = c1 + 1; c2 < 3; c2++) {
                double dot = 0;
                double n1 = 0;
                double n2 = 0;
                for (int r = 0; r < 3; r++) {
                    dot += a[r][c1] * a[r][c2];
                    n1 += a[r][c1] * a[r][c1];
                    n2 += a[r][c2] * a[r][c2];
                }
                if (Math.abs(dot) > tol * Math.sqrt(n1 * n2)) {
                    return false;
                }
            }
        }
        return true;
    }
}
