/**
 * Medical image IO: the {@link org.voxel4j.nn.io.Volume} type and its readers and writers.
 *
 * <p>{@link org.voxel4j.nn.io.VolumeIO} dispatches on the file name to {@link
 * org.voxel4j.nn.io.NiftiIO} (NIfTI-1/2, {@code .nii}, {@code .nii.gz}), {@link
 * org.voxel4j.nn.io.MetaImageIO} ({@code .mha}, {@code .mhd}), {@link org.voxel4j.nn.io.NpyIO}
 * ({@code .npy}) and {@link org.voxel4j.nn.io.DicomSeriesReader} (a folder of DICOM slices, read
 * only); {@link org.voxel4j.nn.io.PngExport} renders slices and label overlays. All parsers are
 * written here (no third-party imaging library), check declared sizes against the file before
 * allocating, and report problems as {@link org.voxel4j.nn.io.VolumeFormatException} naming the
 * file, the field, the value and what was expected. Every writer goes through {@link
 * org.voxel4j.nn.io.AtomicFiles}.
 *
 * <p>Conventions: {@code data()} is C-order with the file's axes reversed ({@code [D, H, W]} = (z,
 * y, x), {@code [C, D, H, W]} for 4D), so {@code data[k][j][i]} is nibabel's {@code img.dataobj[i,
 * j, k]}; {@code affine()} maps file-order indices (i, j, k) to RAS+ millimetres, equal to
 * nibabel's {@code img.affine} for NIfTI in mm.
 */
package org.voxel4j.nn.io;
