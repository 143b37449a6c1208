/**
 * CT reconstruction for voxel4j: scan geometries, projectors, analytic and iterative
 * reconstruction, phantoms, simulation and image-quality metrics; and the deep-learning side of
 * sparse-view CT: differentiable FFT and forward projection for SameDiff graphs ({@code nn}), Fast
 * Fourier Convolution layers and the GloReDi encoder–decoder ({@code ffc}), and on-the-fly training
 * pairs, losses and distillation ({@code enhance}).
 *
 * <h2>Coordinate conventions (used by every class of this module)</h2>
 *
 * <ul>
 *   <li>An image is stored row-major as {@code [H, W]} (rows, columns). The continuous coordinate
 *       {@code x} grows with the column index, {@code y} grows with <em>decreasing</em> row index,
 *       and the origin is the centre of the image: the centre of pixel {@code (r, c)} is at {@code
 *       x = (c - (W - 1) / 2) * pixelSize}, {@code y = ((H - 1) / 2 - r) * pixelSize}.
 *   <li>A volume is stored as {@code [D, H, W]}; {@code x} and {@code y} as for an image and {@code
 *       z} grows with the slice index, {@code z = (d - (D - 1) / 2) * spacingZ}.
 *   <li>Lengths are in pixels unless a pixel size is given; a geometry's distances and detector
 *       spacings are in the same unit as the grid's pixel size, and a projection is the line
 *       integral in that unit (so projecting attenuation per pixel with pixel size 1 gives
 *       dimensionless line integrals).
 *   <li>A parallel-beam projection at angle θ and detector coordinate s is {@code p(θ, s) = ∫∫ f(x,
 *       y) δ(x cos θ + y sin θ − s) dx dy}; detector element {@code j} of {@code n} sits at {@code
 *       s = (j − (n − 1) / 2) * spacing + offset}.
 *   <li>Sinograms are {@code [views, detectors]}, cone-beam projections {@code [views, rows,
 *       cols]}.
 * </ul>
 */
package org.voxel4j.recon;
