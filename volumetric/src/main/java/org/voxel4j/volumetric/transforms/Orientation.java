package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reorientation of a volume to the canonical RAS+ orientation (nibabel's {@code
 * as_closest_canonical}): array axes are permuted and flipped, without interpolation, so that file
 * axis x (array axis W) runs towards patient Right, y (H) towards Anterior and z (D) towards
 * Superior as closely as the direction cosines allow; the affine is updated so that every voxel
 * keeps its world position.
 *
 * <p>Axis matching follows nibabel's {@code io_orientation}: the world axis of each file axis is
 * the one with the largest absolute direction cosine, assigned greedily (largest first) so no two
 * file axes share a world axis.
 */
public final class Orientation {
    private Orientation() {}

    /**
     * A permutation and flips of the three spatial array axes {@code [D, H, W]}.
     *
     * @param perm new array axis a takes old array axis {@code perm[a]}
     * @param flip whether new axis a is reversed
     * @param oldShape spatial shape before, {@code [D, H, W]}
     */
    public record Transform(int[] perm, boolean[] flip, int[] oldShape) {
        public Transform {
            perm = perm.clone();
            flip = flip.clone();
            oldShape = oldShape.clone();
        }

        @Override
        public int[] perm() {
            return perm.clone();
        }

        @Override
        public boolean[] flip() {
            return flip.clone();
        }

        @Override
        public int[] oldShape() {
            return oldShape.clone();
        }

        /** True if nothing changes. */
        public boolean isIdentity() {
            for (int a = 0; a < 3; a++) {
                if (perm[a] != a || flip[a]) {
                    return false;
                }
            }
            return true;
        }

        /** Spatial shape after the transform. */
        public int[] newShape() {
            return new int[] {oldShape[perm[0]], oldShape[perm[1]], oldShape[perm[2]]};
        }

        /** Applies the transform to the last three axes of {@code x} (leading axes kept). */
        public INDArray apply(INDArray x) {
            if (isIdentity()) {
                return x;
            }
            int[] shape = VoxelArrays.shapeOf(x);
            int off = checkSpatial(shape);
            int[] p = new int[shape.length];
            boolean[] f = new boolean[shape.length];
            for (int a = 0; a < off; a++) {
                p[a] = a;
            }
            for (int a = 0; a < 3; a++) {
                p[off + a] = off + perm[a];
                f[off + a] = flip[a];
            }
            double[] out = Grids.permuteFlip(VoxelArrays.toDoubles(x), shape, p, f);
            return VoxelArrays.fromDoubles(out, Grids.permutedShape(shape, p), x.dataType());
        }

        /** The inverse transform (new layout back to the old one). */
        public Transform inverse() {
            int[] ip = new int[3];
            boolean[] inf = new boolean[3];
            for (int a = 0; a < 3; a++) {
                ip[perm[a]] = a;
                inf[perm[a]] = flip[a];
            }
            return new Transform(ip, inf, newShape());
        }

        /** Where old array index {@code idx} ({@code [d, h, w]}) lands. */
        public int[] mapIndex(int[] idx) {
            int[] out = new int[3];
            for (int a = 0; a < 3; a++) {
                int v = idx[perm[a]];
                out[a] = flip[a] ? oldShape[perm[a]] - 1 - v : v;
            }
            return out;
        }

        /**
         * The affine of the transformed array: same world position for every voxel. Array axis a is
         * file axis {@code 2 - a}.
         */
        public double[][] affine(double[][] old) {
            double[][] t = new double[4][4];
            t[3][3] = 1;
            for (int a = 0; a < 3; a++) {
                int newFile = 2 - a;
                int oldFile = 2 - perm[a];
                t[oldFile][newFile] = flip[a] ? -1 : 1;
                if (flip[a]) {
                    t[oldFile][3] = oldShape[perm[a]] - 1;
                }
            }
            return multiply(old, t);
        }

        private static int checkSpatial(int[] shape) {
            if (shape.length < 3) {
                throw new IllegalArgumentException(
                        "reorientation needs 3 spatial axes, got shape " + Arrays.toString(shape));
            }
            return shape.length - 3;
        }
    }

    /**
     * The transform that brings an array of spatial shape {@code [D, H, W]} with this RAS+ affine
     * (file-order voxel index to mm) into RAS+ canonical orientation.
     */
    public static Transform toRas(double[][] affine, int[] spatialShape) {
        if (spatialShape.length != 3) {
            throw new IllegalArgumentException(
                    "spatial shape " + Arrays.toString(spatialShape) + ", expected [D, H, W]");
        }
        double[][] dir = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = 0;
            for (int r = 0; r < 3; r++) {
                n += affine[r][c] * affine[r][c];
            }
            n = Math.sqrt(n);
            if (!(n > 0)) {
                throw new IllegalArgumentException(
                        "affine column " + c + " is zero: " + Arrays.deepToString(affine));
            }
            for (int r = 0; r < 3; r++) {
                dir[r][c] = affine[r][c] / n;
            }
        }
        int[] worldOf = new int[3];
        double[] sign = new double[3];
        boolean[] rowUsed = new boolean[3];
        boolean[] colUsed = new boolean[3];
        for (int k = 0; k < 3; k++) {
            int br = -1;
            int bc = -1;
            double best = -1;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    if (!rowUsed[r] && !colUsed[c] && Math.abs(dir[r][c]) > best) {
                        best = Math.abs(dir[r][c]);
                        br = r;
                        bc = c;
                    }
                }
            }
            rowUsed[br] = true;
            colUsed[bc] = true;
            worldOf[bc] = br;
            sign[bc] = Math.signum(dir[br][bc]);
        }
        int[] perm = new int[3];
        boolean[] flip = new boolean[3];
        for (int c = 0; c < 3; c++) {
            int newArray = 2 - worldOf[c];
            perm[newArray] = 2 - c;
            flip[newArray] = sign[c] < 0;
        }
        return new Transform(perm, flip, spatialShape);
    }

    static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }
}
