package org.voxel4j.volumetric.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.volumetric.Fixtures;

/**
 * Sliding-window inference against closed forms (a pointwise network is reproduced exactly,
 * whatever the weights), a brute-force re-computation window by window, and MONAI's importance map
 * ({@code fixtures/inference/make_fixtures.py}).
 */
class SlidingWindowTest {

    static INDArray rand(long... shape) {
        Nd4j.getRandom().setSeed(11 + shape.length);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(4);
    }

    /** A 1×1 convolution 1 → 2 channels: out_k = a_k x + b_k. */
    static Model pointwise(int dims) {
        Model m =
                Model.create(
                        Conv.of(dims, 1, 2, 1),
                        1,
                        InputSpec.of(
                                "x",
                                dims == 3
                                        ? new long[] {-1, 1, -1, -1, -1}
                                        : new long[] {-1, 1, -1, -1}));
        INDArray w = m.parameters().get("weight");
        w.assign(Nd4j.createFromArray(2f, -0.5f).reshape(w.shape()));
        m.parameters().get("bias").assign(Nd4j.createFromArray(1f, 3f));
        return m;
    }

    @Test
    void gaussianImportanceMapMatchesMonai() {
        for (String name :
                new String[] {"gaussian_16x12x9", "gaussian_7x10", "gaussian_32x32x32"}) {
            Fixtures.Npy ref = Fixtures.npy("/fixtures/inference/" + name + ".npy");
            float[] got = ImportanceMap.gaussian(ref.shape(), 0.125);
            assertThat(got).hasSize(ref.data().length);
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i])
                        .as(name + "[" + i + "]")
                        .isCloseTo(
                                ref.data()[i],
                                org.assertj.core.api.Assertions.within(
                                        2e-7 * Math.max(1, ref.data()[i])));
            }
        }
    }

    @Test
    void windowStartsFollowMonai() {
        // interval 48; windows until one reaches the end; the last is shifted to end at 256.
        assertThat(SlidingWindow.starts(256, 96, 0.5)).containsExactly(0, 48, 96, 144, 160);
        assertThat(SlidingWindow.starts(96, 96, 0.5)).containsExactly(0);
        assertThat(SlidingWindow.starts(10, 4, 0.25)).containsExactly(0, 3, 6);
        assertThat(SlidingWindow.starts(9, 4, 0)).containsExactly(0, 4, 5);
    }

    @Test
    void pointwiseNetworkIsReproducedExactly() {
        INDArray img = rand(1, 13, 20, 7); // axis 2 shorter than the patch: padded, then cropped
        INDArray expected = Nd4j.concat(0, img.mul(2).add(1), img.mul(-0.5).add(3));
        Model m = pointwise(3);
        SlidingWindow sw = SlidingWindow.of(List.of(8, 8, 8)).withBatchSize(3).withPadValue(-7);
        long[] calls = {0, 0};
        INDArray out =
                sw.run(
                        m,
                        img,
                        (done, total) -> {
                            calls[0] = done;
                            calls[1] = total;
                        });
        assertThat(out.shape()).containsExactly(2, 13, 20, 7);
        assertThat(maxAbsDiff(out, expected)).isLessThan(1e-5);
        // starts: axis0 [0,4,5], axis1 [0,4,8,12], axis2 [0] (padded to 8)
        assertThat(calls).containsExactly(12, 12);
        INDArray tta = sw.withFlipTta(true).withGaussian(false).run(m, img, null);
        assertThat(maxAbsDiff(tta, expected)).isLessThan(1e-5);
        INDArray img2 = rand(1, 9, 14);
        INDArray out2 =
                SlidingWindow.of(List.of(6, 6)).withOverlap(0.25).run(pointwise(2), img2, null);
        assertThat(maxAbsDiff(out2, Nd4j.concat(0, img2.mul(2).add(1), img2.mul(-0.5).add(3))))
                .isLessThan(1e-5);
    }

    @Test
    void matchesBruteForceWindowByWindow() {
        // A 3x3x3 zero-padded convolution: window borders change the output, so the blend matters.
        Model m = Model.create(Conv.conv3d(1, 2, 3), 5, InputSpec.of("x", -1, 1, -1, -1, -1));
        INDArray img = rand(1, 11, 9, 10);
        int[] p = {6, 6, 6};
        double overlap = 0.25; // interval 4
        SlidingWindow sw = SlidingWindow.of(List.of(6, 6, 6)).withOverlap(overlap).withBatchSize(2);
        INDArray out = sw.run(m, img, null);

        // Brute force: every window predicted alone, Gaussian weights from the formula.
        double[][][] g = new double[6][6][6];
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                for (int c = 0; c < 6; c++) {
                    double s = 0.125 * 6;
                    g[a][b][c] =
                            Math.exp(-sq(a - 2.5) / (2 * s * s))
                                    * Math.exp(-sq(b - 2.5) / (2 * s * s))
                                    * Math.exp(-sq(c - 2.5) / (2 * s * s));
                    // MONAI raises weights below 1e-3 to 1e-3 (narrow sigma: corners are tiny)
                    g[a][b][c] = Math.max(g[a][b][c], 1e-3);
                }
            }
        }
        int[][] starts = {{0, 4, 5}, {0, 3}, {0, 4}};
        double[][][][] acc = new double[2][11][9][10];
        double[][][] wsum = new double[11][9][10];
        for (int z : starts[0]) {
            for (int y : starts[1]) {
                for (int x : starts[2]) {
                    INDArray win =
                            img.get(
                                    NDArrayIndex.all(),
                                    NDArrayIndex.interval(z, z + 6),
                                    NDArrayIndex.interval(y, y + 6),
                                    NDArrayIndex.interval(x, x + 6));
                    INDArray pred = m.predict(win.reshape(1, 1, 6, 6, 6).dup());
                    for (int a = 0; a < 6; a++) {
                        for (int b = 0; b < 6; b++) {
                            for (int c = 0; c < 6; c++) {
                                wsum[z + a][y + b][x + c] += g[a][b][c];
                                for (int k = 0; k < 2; k++) {
                                    acc[k][z + a][y + b][x + c] +=
                                            g[a][b][c] * pred.getDouble(0, k, a, b, c);
                                }
                            }
                        }
                    }
                }
            }
        }
        double worst = 0;
        for (int k = 0; k < 2; k++) {
            for (int z = 0; z < 11; z++) {
                for (int y = 0; y < 9; y++) {
                    for (int x = 0; x < 10; x++) {
                        double ref = acc[k][z][y][x] / wsum[z][y][x];
                        worst = Math.max(worst, Math.abs(ref - out.getDouble(k, z, y, x)));
                    }
                }
            }
        }
        assertThat(worst).isLessThan(1e-5);
        assertThat(p).hasSize(3);
    }

    @Test
    void paddedVolumeMatchesBruteForceOnThePaddedImage() {
        // Axis 1 (4 voxels) is shorter than the 6-voxel patch: padded with -2 (1 before, 1 after),
        // blended, cropped. 3x3x3 zero-padded convolution, so window borders and padding matter.
        Model m = Model.create(Conv.conv3d(1, 2, 3), 5, InputSpec.of("x", -1, 1, -1, -1, -1));
        INDArray img = rand(1, 11, 4, 10);
        // 6 windows in batches of 4: the last batch is smaller than the first.
        SlidingWindow sw =
                SlidingWindow.of(List.of(6, 6, 6))
                        .withOverlap(0.25)
                        .withBatchSize(4)
                        .withPadValue(-2);
        INDArray out = sw.run(m, img, null);
        assertThat(out.shape()).containsExactly(2, 11, 4, 10);
        // interval 4: axis 0 [0, 4, 5], axis 1 (padded to 6) [0], axis 2 [0, 4]
        double[][][][] ref =
                bruteForce(m, img, new int[] {0, 1, 0}, 6, new int[][] {{0, 4, 5}, {0}, {0, 4}});
        double worst = 0;
        for (int k = 0; k < 2; k++) {
            for (int z = 0; z < 11; z++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 10; x++) {
                        worst =
                                Math.max(
                                        worst,
                                        Math.abs(ref[k][z][y][x] - out.getDouble(k, z, y, x)));
                    }
                }
            }
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @Test
    void copiedInputsAndOutputsGiveTheSameBitsAsInPlaceOnes() {
        // Dense FLOAT images and network outputs are read in place; anything else (DOUBLE, F order,
        // views) is copied first. Both routes must give identical bits, padded or not.
        Model m = Model.create(Conv.conv3d(1, 2, 3), 5, InputSpec.of("x", -1, 1, -1, -1, -1));
        SlidingWindow sw = SlidingWindow.of(List.of(6, 6, 6)).withOverlap(0.25).withBatchSize(4);
        SlidingWindow tta = sw.withFlipTta(true);
        for (INDArray img : new INDArray[] {rand(1, 11, 9, 10), rand(1, 11, 4, 10)}) {
            INDArray ref = sw.run(m, img, null);
            INDArray twice = Nd4j.concat(0, img.mul(3), img);
            INDArray view =
                    twice.get(
                            NDArrayIndex.interval(1, 2),
                            NDArrayIndex.all(),
                            NDArrayIndex.all(),
                            NDArrayIndex.all());
            assertThat(view.isView()).isTrue();
            for (INDArray other :
                    new INDArray[] {img.castTo(DataType.DOUBLE), img.dup('f'), view}) {
                assertSameBits(sw.run(m, other, null), ref);
            }
            assertSameBits(sw.run(x -> m.predict(x).dup('f'), img, -1, null), ref);
            assertSameBits(sw.run(x -> m.predict(x).castTo(DataType.DOUBLE), img, 2, null), ref);
            assertSameBits(
                    tta.run(x -> m.predict(x).dup('f'), img, 2, null), tta.run(m, img, null));
        }
    }

    static void assertSameBits(INDArray got, INDArray expected) {
        assertThat(got.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(got.shape()).isEqualTo(expected.shape());
        float[] g = got.dup('c').data().asFloat();
        float[] e = expected.dup('c').data().asFloat();
        for (int i = 0; i < e.length; i++) {
            assertThat(Float.floatToRawIntBits(g[i]))
                    .as("element " + i)
                    .isEqualTo(Float.floatToRawIntBits(e[i]));
        }
    }

    /**
     * Sliding-window blending computed directly in double precision: pad the image with -2, predict
     * every window alone, weight it with the Gaussian of the formula, divide, crop.
     */
    static double[][][][] bruteForce(Model m, INDArray img, int[] before, int p, int[][] starts) {
        int[] s = {(int) img.size(1), (int) img.size(2), (int) img.size(3)};
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            n[a] = Math.max(s[a], p);
        }
        INDArray padded = Nd4j.valueArrayOf(new long[] {1, n[0], n[1], n[2]}, -2f);
        for (int z = 0; z < s[0]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[2]; x++) {
                    padded.putScalar(
                            new long[] {0, z + before[0], y + before[1], x + before[2]},
                            img.getDouble(0, z, y, x));
                }
            }
        }
        double sigma = 0.125 * p;
        double c = (p - 1) / 2.0;
        double[][][][] acc = new double[2][n[0]][n[1]][n[2]];
        double[][][] wsum = new double[n[0]][n[1]][n[2]];
        for (int z : starts[0]) {
            for (int y : starts[1]) {
                for (int x : starts[2]) {
                    INDArray win =
                            padded.get(
                                    NDArrayIndex.all(),
                                    NDArrayIndex.interval(z, z + p),
                                    NDArrayIndex.interval(y, y + p),
                                    NDArrayIndex.interval(x, x + p));
                    INDArray pred = m.predict(win.reshape(1, 1, p, p, p).dup());
                    for (int a = 0; a < p; a++) {
                        for (int b = 0; b < p; b++) {
                            for (int e = 0; e < p; e++) {
                                double g =
                                        Math.exp(
                                                -(sq(a - c) + sq(b - c) + sq(e - c))
                                                        / (2 * sigma * sigma));
                                g = Math.max(g, 1e-3); // MONAI's floor
                                wsum[z + a][y + b][x + e] += g;
                                for (int k = 0; k < 2; k++) {
                                    acc[k][z + a][y + b][x + e] +=
                                            g * pred.getDouble(0, k, a, b, e);
                                }
                            }
                        }
                    }
                }
            }
        }
        double[][][][] out = new double[2][s[0]][s[1]][s[2]];
        for (int k = 0; k < 2; k++) {
            for (int z = 0; z < s[0]; z++) {
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[2]; x++) {
                        int pz = z + before[0];
                        int py = y + before[1];
                        int px = x + before[2];
                        out[k][z][y][x] = acc[k][pz][py][px] / wsum[pz][py][px];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void largeVolumeStaysWithinMemoryBudget() {
        // 256^3 with a 96^3 patch (125 windows) through a small convolution.
        Model m = Model.create(Conv.conv3d(1, 2, 3), 5, InputSpec.of("x", -1, 1, -1, -1, -1));
        INDArray img = Nd4j.rand(DataType.FLOAT, 1, 256, 256, 256);
        long[] peak = {OffHeapMemory.residentBytes()};
        INDArray out =
                SlidingWindow.of(List.of(96, 96, 96))
                        .withBatchSize(2)
                        .run(
                                m,
                                img,
                                (d, t) ->
                                        peak[0] = Math.max(peak[0], OffHeapMemory.residentBytes()));
        assertThat(out.shape()).containsExactly(2, 256, 256, 256);
        peak[0] = Math.max(peak[0], OffHeapMemory.residentBytes());
        System.err.println("sliding window 256^3 / 96^3: peak RSS " + (peak[0] >> 20) + " MB");
        assertThat(peak[0] >> 20).as("peak RSS in MB").isLessThan(3 * 1024);
        // Interior voxel far from every window border: equals the convolution computed whole.
        INDArray probe =
                img.get(
                                NDArrayIndex.all(),
                                NDArrayIndex.interval(100, 106),
                                NDArrayIndex.interval(100, 106),
                                NDArrayIndex.interval(100, 106))
                        .dup();
        INDArray local = m.predict(probe.reshape(1, 1, 6, 6, 6));
        assertThat(Math.abs(local.getDouble(0, 1, 2, 2, 2) - out.getDouble(1, 102, 102, 102)))
                .isLessThan(1e-4);
    }

    @Test
    void twoDimensionalNetworksRunSliceBySlice() {
        org.voxel4j.volumetric.nets.UNet net =
                org.voxel4j.volumetric.nets.UNet.unet2d(1, 3, List.of(2, 4));
        Model m = Model.create(net, 4, InputSpec.of("image", -1, 1, -1, -1));
        INDArray vol = rand(1, 3, 10, 12);
        SlidingWindow sw = SlidingWindow.of(List.of(8, 8));
        INDArray out = SegmentationInference.outputs(m, net, vol, sw, null);
        assertThat(out.shape()).containsExactly(3, 3, 10, 12);
        for (int z = 0; z < 3; z++) {
            INDArray slice = vol.get(NDArrayIndex.all(), NDArrayIndex.point(z)).dup();
            INDArray ref = sw.run(m, slice, null);
            INDArray got = out.get(NDArrayIndex.all(), NDArrayIndex.point(z));
            assertThat(maxAbsDiff(got, ref)).as("slice " + z).isLessThan(1e-6);
        }
        assertThatThrownBy(
                        () ->
                                SegmentationInference.outputs(
                                        m, net, vol, SlidingWindow.of(List.of(7, 8)), null))
                .hasMessageContaining("multiples of [2, 2]");
        assertThatThrownBy(() -> SegmentationInference.outputs(m, net, rand(2, 3, 8, 8), sw, null))
                .hasMessageContaining("1 input channel");
    }

    @Test
    void rejectsWrongRank() {
        assertThatThrownBy(
                        () ->
                                SlidingWindow.of(List.of(4, 4, 4))
                                        .run(pointwise(3), rand(4, 4, 4), null))
                .hasMessageContaining("[4, 4, 4]");
        assertThatThrownBy(() -> SlidingWindow.of(List.of(4, 4)).withOverlap(1))
                .hasMessageContaining("overlap");
    }

    static double sq(double v) {
        return v * v;
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    static INDArrayIndex[] all(int n) {
        INDArrayIndex[] idx = new INDArrayIndex[n];
        java.util.Arrays.fill(idx, NDArrayIndex.all());
        return idx;
    }
}
