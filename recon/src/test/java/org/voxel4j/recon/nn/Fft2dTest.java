package org.voxel4j.recon.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jtransforms.fft.DoubleFFT_2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;
import org.voxel4j.recon.Fixtures;

/**
 * The DFT-by-matrix-products FFT against NumPy's pocketfft (fixtures/ffc/make_fixtures.py) and
 * JTransforms, plus central-difference gradient checks.
 */
class Fft2dTest {

    private static double maxAbs(INDArray a, INDArray b) {
        assertThat(a.shape()).containsExactly(b.shape());
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private static Map<String, INDArray> eval(
            SameDiff sd, Map<String, INDArray> feed, SDVariable... v) {
        String[] names = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            names[i] = v[i].name();
        }
        return sd.output(feed, names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"even", "odd", "mixed", "tiny"})
    void forwardMatchesNumpy(String name) {
        INDArray x = Fixtures.ndarray("ffc/fft_" + name + "_x.npy");
        SameDiff sd = SameDiff.create();
        // free dimensions: the matrices come from the run-time shape
        SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1, -1);
        SDVariable y = Fft2d.rfft2(sd, in, (int) x.size(1), DataType.DOUBLE);
        SDVariable re = Fft2d.real(sd, y);
        SDVariable im = Fft2d.imag(sd, y);
        Map<String, INDArray> out = eval(sd, Map.of("x", x), re, im);
        assertThat(maxAbs(out.get(re.name()), Fixtures.ndarray("ffc/fft_" + name + "_re.npy")))
                .isLessThan(1e-12);
        assertThat(maxAbs(out.get(im.name()), Fixtures.ndarray("ffc/fft_" + name + "_im.npy")))
                .isLessThan(1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"even", "odd", "mixed", "tiny"})
    void inverseMatchesNumpy(String name) {
        INDArray re = Fixtures.ndarray("ffc/ifft_" + name + "_re.npy");
        INDArray im = Fixtures.ndarray("ffc/ifft_" + name + "_im.npy");
        INDArray expected = Fixtures.ndarray("ffc/ifft_" + name + "_out.npy");
        SameDiff sd = SameDiff.create();
        SDVariable r = sd.placeHolder("re", DataType.DOUBLE, -1, -1, -1, -1);
        SDVariable i = sd.placeHolder("im", DataType.DOUBLE, -1, -1, -1, -1);
        // the output size (H, W) comes from a tensor of that shape
        SDVariable like = sd.placeHolder("like", DataType.DOUBLE, -1, -1, -1, -1);
        SDVariable x =
                Fft2d.irfft2(sd, Fft2d.complex(sd, r, i), (int) re.size(1), like, DataType.DOUBLE);
        INDArray out =
                eval(sd, Map.of("re", re, "im", im, "like", expected.dup()), x).get(x.name());
        assertThat(maxAbs(out, expected)).isLessThan(1e-12);
    }

    @Test
    void forwardMatchesJTransformsOnALargerImage() {
        int h = 9;
        int w = 12;
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1, 1, h, w);
        double[][] full = new double[h][2 * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                full[r][c] = x.getDouble(0, 0, r, c);
            }
        }
        new DoubleFFT_2D(h, w).realForwardFull(full);
        double scale = 1 / Math.sqrt(h * w);
        SameDiff sd = SameDiff.create();
        SDVariable y = Fft2d.rfft2(sd, sd.constant(x), 1, DataType.DOUBLE);
        INDArray re = Fft2d.real(sd, y).eval();
        INDArray im = Fft2d.imag(sd, y).eval();
        assertThat(re.shape()).containsExactly(1, 1, h, w / 2 + 1);
        double max = 0;
        for (int r = 0; r < h; r++) {
            for (int k = 0; k <= w / 2; k++) {
                max = Math.max(max, Math.abs(re.getDouble(0, 0, r, k) - full[r][2 * k] * scale));
                max =
                        Math.max(
                                max,
                                Math.abs(im.getDouble(0, 0, r, k) - full[r][2 * k + 1] * scale));
            }
        }
        assertThat(max).isLessThan(1e-12);
    }

    @Test
    void roundTripAndParsevalInFloat() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 10, 7);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, -1, -1, -1);
        Fft2d.Plan plan = Fft2d.plan(sd, in, DataType.FLOAT);
        SDVariable back = plan.irfft2(plan.rfft2(in, 3), 3);
        INDArray out = eval(sd, Map.of("x", x), back).get(back.name());
        assertThat(out.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(maxAbs(out, x)).isLessThan(1e-5);
    }

    @Test
    void forwardGradientIsChecked() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1, 2, 4, 5);
        GradientCheck.check(
                        (sd, v) -> Fft2d.rfft2(sd, v.get("x"), 2, DataType.DOUBLE), Map.of("x", x))
                .assertPasses(1e-7);
    }

    @Test
    void inverseGradientIsChecked() {
        Nd4j.getRandom().setSeed(10);
        INDArray spec = Nd4j.randn(DataType.DOUBLE, 1, 4, 4, 4);
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) ->
                                Fft2d.irfft2(
                                        sd,
                                        v.get("spec"),
                                        2,
                                        sd.constant(Nd4j.zeros(DataType.DOUBLE, 1, 1, 4, 7)),
                                        DataType.DOUBLE),
                        Map.of("spec", spec));
        r.assertPasses(1e-7);
        assertThat(r.checkedElements()).isEqualTo(64);
    }
}
