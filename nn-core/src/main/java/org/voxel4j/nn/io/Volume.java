package org.voxel4j.nn.io;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Voxel data plus the geometry that places it in patient space.
 *
 * <h2>Axis order</h2>
 *
 * Medical formats store x (the first index, i) fastest. {@link #data()} is a C-order array whose
 * shape is the file's dimensions reversed: {@code [D, H, W] = (z, y, x)} for a 3D file, {@code [C,
 * D, H, W]} for a 4D file whose 4th dimension (time, channel) becomes C, {@code [H, W]} for a 2D
 * file. Hence {@code data[k][j][i] == nibabel img.dataobj[i, j, k]} and always {@code
 * data().shape() == reverse(dims())}.
 *
 * <h2>Affine</h2>
 *
 * {@link #affine()} is the 4x4 matrix mapping a file-order voxel index {@code (i, j, k, 1)} = (x,
 * y, z) to world millimetres in RAS+ (+x = patient Right, +y = Anterior, +z = Superior), the
 * convention of NIfTI (NIfTI-1 standard, {@code nifti1.h}) and of nibabel's {@code img.affine}.
 * DICOM and MetaImage (ITK) use LPS+; their readers negate the first two rows (DICOM PS3.3
 * C.7.6.2.1.1). For a 4D volume the affine covers the three spatial axes.
 *
 * <h2>Spacing</h2>
 *
 * {@link #spacing()} has three values in file order (x, y, z) in mm: for NIfTI, like nibabel's
 * {@code header.get_zooms()[:3]} (pixdim), otherwise the column norms of the affine. Axes a 1D or
 * 2D file lacks still have a spacing (from the header, else 1) so the affine stays invertible.
 *
 * <h2>Data types</h2>
 *
 * Readers keep the stored type when no intensity scaling applies: uint8, int8, int16, uint16,
 * int32, uint32, int64, float32, float64 (and bool, float16 from NPY). uint64 is loaded as INT64
 * (ND4J's UINT64 misreports values) and a value above 2^63-1 is rejected. When a scaling is applied
 * (NIfTI scl_slope/scl_inter, DICOM RescaleSlope/Intercept) the result is FLOAT, or DOUBLE for
 * 32/64-bit integer and float64 sources, computed in double like nibabel's {@code get_fdata()}.
 * {@link #sourceDataType()} always names the stored type.
 *
 * <p>Instances are immutable except for the INDArray itself, which is shared, not copied: callers
 * must not modify {@code data()} in place if others hold the volume.
 */
public final class Volume {
    /** {@link #format()} of a volume built in memory rather than read from a file. */
    public static final String FORMAT_MEMORY = "memory";

    private final INDArray data;
    private final double[][] affine;
    private final double[] spacing;
    private final double timeStep;
    private final String timeUnit;
    private final String format;
    private final String sourceDataType;
    private final String description;

    Volume(
            INDArray data,
            double[][] affine,
            double[] spacing,
            double timeStep,
            String timeUnit,
            String format,
            String sourceDataType,
            String description) {
        Objects.requireNonNull(data, "data");
        if (data.rank() < 1 || data.rank() > 4) {
            throw new IllegalArgumentException(
                    "data rank "
                            + data.rank()
                            + " (shape "
                            + Arrays.toString(data.shape())
                            + "), expected 1 to 4: [W], [H, W], [D, H, W] or [C, D, H, W]");
        }
        if (data.isEmpty() || data.length() == 0) {
            throw new IllegalArgumentException(
                    "data shape " + Arrays.toString(data.shape()) + " is empty");
        }
        this.data = data;
        this.affine = checkAffine(affine);
        if (spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException(
                    "spacing " + Arrays.toString(spacing) + ", expected 3 values (x, y, z)");
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException(
                        "spacing " + Arrays.toString(spacing) + ", expected finite values > 0");
            }
        }
        this.spacing = spacing.clone();
        if (!Double.isFinite(timeStep)) {
            throw new IllegalArgumentException("time step " + timeStep + ", expected finite");
        }
        this.timeStep = timeStep;
        this.timeUnit = Objects.requireNonNull(timeUnit, "timeUnit");
        this.format = Objects.requireNonNull(format, "format");
        this.sourceDataType = Objects.requireNonNull(sourceDataType, "sourceDataType");
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * A volume with unit-free geometry: axis-aligned, origin 0, spacing per array axis.
     *
     * @param data {@code [D, H, W]}, {@code [C, D, H, W]}, {@code [H, W]} or {@code [W]}
     * @param spacingDhw spacing in mm of the last spatial array axes, in array order (for {@code
     *     [D, H, W]}: dz, dy, dx); fewer values than 3 leave the leading axes at 1 mm; none means 1
     *     mm everywhere
     */
    public static Volume of(INDArray data, double... spacingDhw) {
        Objects.requireNonNull(data, "data");
        double[] xyz = {1, 1, 1};
        if (spacingDhw != null && spacingDhw.length > 0) {
            int spatial = Math.min(data.rank(), 3);
            if (spacingDhw.length != spatial && spacingDhw.length != 3) {
                throw new IllegalArgumentException(
                        "spacingDhw "
                                + Arrays.toString(spacingDhw)
                                + " for data shape "
                                + Arrays.toString(data.shape())
                                + ", expected "
                                + (spatial == 3 ? "3" : spatial + " or 3")
                                + " values");
            }
            for (int a = 0; a < spacingDhw.length; a++) {
                xyz[a] = spacingDhw[spacingDhw.length - 1 - a];
            }
        }
        double[][] aff = {{xyz[0], 0, 0, 0}, {0, xyz[1], 0, 0}, {0, 0, xyz[2], 0}, {0, 0, 0, 1}};
        return new Volume(data, aff, xyz, 1.0, "unknown", FORMAT_MEMORY, typeName(data), "");
    }

    /**
     * A volume with the given RAS+ affine (file-order voxel index to mm); spacing is the column
     * norms of the affine.
     */
    public static Volume of(INDArray data, double[][] affineRas) {
        double[][] a = checkAffine(affineRas);
        return new Volume(
                data, a, columnNorms(a), 1.0, "unknown", FORMAT_MEMORY, typeName(data), "");
    }

    /** The voxels, shape {@code reverse(dims())}; shared, not copied. */
    public INDArray data() {
        return data;
    }

    /** ND4J type of {@link #data()}. */
    public DataType dataType() {
        return data.dataType();
    }

    /** 4x4 RAS+ affine from file-order voxel index (i=x, j=y, k=z, 1) to mm; a copy. */
    public double[][] affine() {
        return copy(affine);
    }

    /** Spacing in mm in file order (x, y, z); a copy. */
    public double[] spacing() {
        return spacing.clone();
    }

    /** Spacing in mm in array order (z, y, x), matching the last three axes of {@link #data()}. */
    public double[] spacingDhw() {
        return new double[] {spacing[2], spacing[1], spacing[0]};
    }

    /** World position (RAS+, mm) of voxel (0, 0, 0): the affine's translation column. */
    public double[] origin() {
        return new double[] {affine[0][3], affine[1][3], affine[2][3]};
    }

    /**
     * 3x3 direction cosines (RAS+): column c is the unit world direction of file axis c. A column
     * of zero length (degenerate affine) stays zero.
     */
    public double[][] direction() {
        double[][] d = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = Affines.columnNorm(affine, c);
            for (int r = 0; r < 3; r++) {
                d[r][c] = n > 0 ? affine[r][c] / n : 0;
            }
        }
        return d;
    }

    /** Dimensions in file order (x, y, z[, t]), like nibabel's {@code img.shape}. */
    public long[] dims() {
        long[] s = data.shape();
        long[] d = new long[s.length];
        for (int a = 0; a < s.length; a++) {
            d[a] = s[s.length - 1 - a];
        }
        return d;
    }

    /**
     * Per-dimension zooms in file order, like nibabel's {@code header.get_zooms()}: the spatial
     * spacing in mm for the first {@code min(rank, 3)} dimensions, then the 4th dimension's step in
     * {@link #timeUnit()}.
     */
    public double[] zooms() {
        int r = data.rank();
        double[] z = new double[r];
        for (int a = 0; a < r; a++) {
            z[a] = a < 3 ? spacing[a] : timeStep;
        }
        return z;
    }

    /** Unit of {@link #spacing()} and the affine: always {@code "mm"} (readers convert). */
    public String spatialUnit() {
        return "mm";
    }

    /**
     * Unit of the 4th zoom as the file declared it: "sec", "msec", "usec", "hz", "ppm", "rads" or
     * "unknown".
     */
    public String timeUnit() {
        return timeUnit;
    }

    /**
     * Source format: "NIfTI-1", "NIfTI-2", "MetaImage", "NumPy", "DICOM" or {@link #FORMAT_MEMORY}.
     */
    public String format() {
        return format;
    }

    /**
     * NumPy name of the element type stored in the source file ("int16", "float32", ...), before
     * any scaling; for a volume made in memory, the type of its data.
     */
    public String sourceDataType() {
        return sourceDataType;
    }

    /** Free-text description from the file (NIfTI descrip, MetaImage Comment, DICOM series). */
    public String description() {
        return description;
    }

    /**
     * The same geometry with other voxels (any data type). {@code newData} must have the same
     * shape, or — for volumes of rank 3 or 4 — the same last three (spatial) dimensions with rank 3
     * or 4 (e.g. a {@code [C, D, H, W]} probability map for a {@code [D, H, W]} image).
     *
     * @throws IllegalArgumentException if the spatial shape differs
     */
    public Volume withData(INDArray newData) {
        Objects.requireNonNull(newData, "newData");
        long[] a = data.shape();
        long[] b = newData.shape();
        boolean same = Arrays.equals(a, b);
        boolean spatial =
                a.length >= 3
                        && b.length >= 3
                        && Arrays.equals(
                                Arrays.copyOfRange(a, a.length - 3, a.length),
                                Arrays.copyOfRange(b, b.length - 3, b.length));
        if (!same && !spatial) {
            throw new IllegalArgumentException(
                    "new data shape "
                            + Arrays.toString(b)
                            + " does not fit the volume's shape "
                            + Arrays.toString(a)
                            + ": expected the same shape or the same last three (D, H, W) dims");
        }
        return new Volume(
                newData, affine, spacing, timeStep, timeUnit, format, sourceDataType, description);
    }

    /** The same volume with another RAS+ affine; spacing becomes the affine's column norms. */
    public Volume withAffine(double[][] affineRas) {
        double[][] a = checkAffine(affineRas);
        return new Volume(
                data, a, columnNorms(a), timeStep, timeUnit, format, sourceDataType, description);
    }

    /** The same volume with another description. */
    public Volume withDescription(String newDescription) {
        return new Volume(
                data, affine, spacing, timeStep, timeUnit, format, sourceDataType, newDescription);
    }

    /** The same volume with another 4th-dimension step (e.g. seconds per frame) and unit. */
    public Volume withTimeStep(double step, String unit) {
        return new Volume(data, affine, spacing, step, unit, format, sourceDataType, description);
    }

    /** Smallest voxel value (after any scaling the reader applied). */
    public double minValue() {
        return numeric().minNumber().doubleValue();
    }

    /** Largest voxel value (after any scaling the reader applied). */
    public double maxValue() {
        return numeric().maxNumber().doubleValue();
    }

    private INDArray numeric() {
        return data.dataType() == DataType.BOOL ? data.castTo(DataType.UINT8) : data;
    }

    @Override
    public String toString() {
        return "Volume[format="
                + format
                + ", dims="
                + Arrays.toString(dims())
                + ", dtype="
                + ElementType.numpyName(data.dataType())
                + " (source "
                + sourceDataType
                + "), spacing="
                + Arrays.toString(spacing)
                + " mm, origin="
                + Arrays.toString(origin())
                + "]";
    }

    static String typeName(INDArray data) {
        return ElementType.numpyName(Objects.requireNonNull(data, "data").dataType());
    }

    static double[] columnNorms(double[][] a) {
        double[] n = new double[3];
        for (int c = 0; c < 3; c++) {
            n[c] = Affines.columnNorm(a, c);
            if (!(n[c] > 0)) {
                throw new IllegalArgumentException(
                        "affine column "
                                + c
                                + " has zero length, expected a non-degenerate affine: "
                                + Arrays.deepToString(a));
            }
        }
        return n;
    }

    static double[][] checkAffine(double[][] a) {
        if (a == null || a.length != 4) {
            throw new IllegalArgumentException(
                    "affine " + Arrays.deepToString(a) + ", expected a 4x4 matrix");
        }
        for (double[] row : a) {
            if (row == null || row.length != 4) {
                throw new IllegalArgumentException(
                        "affine " + Arrays.deepToString(a) + ", expected a 4x4 matrix");
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "affine " + Arrays.deepToString(a) + ", expected finite values");
                }
            }
        }
        if (a[3][0] != 0 || a[3][1] != 0 || a[3][2] != 0 || a[3][3] != 1) {
            throw new IllegalArgumentException(
                    "affine last row " + Arrays.toString(a[3]) + ", expected [0, 0, 0, 1]");
        }
        return copy(a);
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
