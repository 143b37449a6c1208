package org.voxel4j.recon.project;

/**
 * The matrix {@code A} of a linear projector in compressed sparse row form: row {@code r} (a ray,
 * index into the row-major projection array) holds {@code values[rowStart[r] .. rowStart[r+1])} at
 * the columns (voxel indices into the row-major volume) {@code columns[...]}. The same (voxel,
 * weight) lists the projector applies in {@link Projector#forward} and {@link Projector#adjoint}.
 *
 * @param rows number of rays
 * @param cols number of voxels
 * @param rowStart {@code rows + 1} offsets
 * @param columns voxel index per stored entry
 * @param values weight per stored entry
 */
public record SystemMatrix(int rows, int cols, int[] rowStart, int[] columns, double[] values) {
    public SystemMatrix {
        if (rowStart.length != rows + 1 || columns.length != values.length) {
            throw new IllegalArgumentException(
                    "inconsistent CSR arrays: rows="
                            + rows
                            + ", rowStart="
                            + rowStart.length
                            + ", columns="
                            + columns.length
                            + ", values="
                            + values.length);
        }
    }

    /** Number of stored entries. */
    public int nonZeros() {
        return values.length;
    }
}
