package org.voxel4j.recon.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.check.GradientCheck;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.train.Dataset;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.nn.train.Trainer;
import org.voxel4j.recon.ffc.FfcEncoderDecoder;
import org.voxel4j.recon.phantom.Phantoms;

/**
 * Losses against direct evaluation of their definitions (and central differences), the pair
 * datasets, and the distillation components.
 */
class EnhancementComponentsTest {

    @Test
    void smoothL1MatchesItsDefinitionAndGradient() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, 3, 4).muli(1.5);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 2, 1, 3, 4);
        for (double beta : new double[] {1.0, 0.3}) {
            double expected = 0;
            for (int i = 0; i < x.length(); i++) {
                double d = Math.abs(x.getDouble(i) - y.getDouble(i));
                expected += d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
            }
            expected /= x.length();
            SameDiff sd = SameDiff.create();
            double got =
                    EnhancementLosses.smoothL1(sd, sd.constant(x), sd.constant(y), beta)
                            .eval()
                            .getDouble(0);
            assertThat(got).isCloseTo(expected, within(1e-14));
            GradientCheck.check(
                            (s, v) -> EnhancementLosses.smoothL1(s, v.get("x"), v.get("y"), beta),
                            Map.of("x", x, "y", y))
                    .assertPasses(1e-6);
        }
    }

    @Test
    void cosineDistanceMatchesItsDefinitionAndGradient() {
        Nd4j.getRandom().setSeed(2);
        INDArray a = Nd4j.randn(DataType.DOUBLE, 2, 5, 2, 3);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 2, 5, 2, 3);
        int ch = 3;
        double expected = 0;
        int count = 0;
        for (int n = 0; n < 2; n++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 3; w++) {
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int c = 0; c < ch; c++) {
                        double u = a.getDouble(n, c, h, w);
                        double v = b.getDouble(n, c, h, w);
                        dot += u * v;
                        na += u * u;
                        nb += v * v;
                    }
                    expected += 1 - dot / Math.sqrt(na * nb);
                    count++;
                }
            }
        }
        expected /= count;
        SameDiff sd = SameDiff.create();
        double got =
                EnhancementLosses.cosineDistance(sd, sd.constant(a), sd.constant(b), ch, 1e-8)
                        .eval()
                        .getDouble(0);
        assertThat(got).isCloseTo(expected, within(1e-12));
        GradientCheck.check(
                        (s, v) ->
                                EnhancementLosses.cosineDistance(
                                        s, v.get("a"), v.get("b"), ch, 1e-8),
                        Map.of("a", a, "b", b))
                .assertPasses(1e-6);
    }

    @Test
    void phantomPairsAreDeterministicOrFresh() {
        SparseViewSimulator sim = SparseViewSimulator.parallel(16, 40, 6, 12);
        SparseViewPairs fixed =
                SparseViewPairs.phantoms(PhantomGenerator.sheppLoganVariants(10), sim, 4, 7, false);
        Sample s1 = fixed.get(2, new SplittableRandom(1));
        Sample s2 = fixed.get(2, new SplittableRandom(2));
        assertThat(s1.inputs()).hasSize(2); // sparse and teacher (12 views) FBP
        assertThat(s1.inputs().get(0).shape()).containsExactly(1, 16, 16);
        assertThat(s1.targets().get(0).shape()).containsExactly(1, 16, 16);
        assertThat(s1.inputs().get(0)).isEqualTo(s2.inputs().get(0));
        SparseViewPairs fresh =
                SparseViewPairs.phantoms(PhantomGenerator.randomEllipses(1, 3), sim, 4, 7, true);
        assertThat(fresh.get(0, new SplittableRandom(1)).targets().get(0))
                .isNotEqualTo(fresh.get(0, new SplittableRandom(2)).targets().get(0));
        // the teacher FBP (twice the views) is closer to the image than the student's
        INDArray gt = s1.targets().get(0);
        double eS = s1.inputs().get(0).sub(gt).norm2Number().doubleValue();
        double eT = s1.inputs().get(1).sub(gt).norm2Number().doubleValue();
        assertThat(eT).isLessThan(eS);
    }

    @Test
    void userImagesAndVolumeSlices() {
        int n = 16;
        INDArray vol =
                Nd4j.create(Phantoms.sheppLogan3d(n), new long[] {n, n, n}, 'c')
                        .muli(2000)
                        .subi(1000);
        VolumeSlices slices =
                new VolumeSlices(
                        List.of(Volume.of(vol), Volume.of(vol.dup())), VolumeSlices.huToMu());
        assertThat(slices.size()).isEqualTo(2 * n);
        Sample s = slices.get(n + 5, new SplittableRandom(0));
        // slice 5 of the second volume, HU -> mu = HU/1000*0.192 + 0.192, clamped at 0
        double hu = vol.getDouble(5, 7, 9);
        assertThat(s.inputs().get(0).getDouble(0, 7, 9))
                .isCloseTo(Math.max(0, hu / 1000 * 0.192 + 0.192), within(1e-5));
        SparseViewPairs pairs =
                SparseViewPairs.of(slices, SparseViewSimulator.parallel(n, 30, 5, 0));
        Sample p = pairs.get(3, new SplittableRandom(0));
        assertThat(p.inputs()).hasSize(1);
        assertThat(p.inputs().get(0).shape()).containsExactly(1, n, n);
        SparseViewPairs wrong =
                SparseViewPairs.of(slices, SparseViewSimulator.parallel(20, 30, 5, 0));
        assertThatThrownBy(() -> wrong.get(0, new SplittableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expects [1, 20, 20]");
    }

    @Test
    void distillationTrainsTheStudentAndAveragesTheTeacherDecoder() throws IOException {
        FfcEncoderDecoder net = new FfcEncoderDecoder(1, 1, 4, 2, 1, 1, 0.75, 1024, true);
        GloReDiDistillation d = new GloReDiDistillation(net);
        Model m = d.newModel(4);
        // the teacher starts as a copy of the student, its decoder is frozen for the optimiser
        String p = "encoder/block0/conv1/ffc/convl2l/weight";
        assertThat(m.parameters().get("teacher_encoder/block0/conv1/ffc/convl2l/weight"))
                .isEqualTo(m.parameters().get("student/" + p));
        assertThat(m.parameters().isFrozen("teacher_decoder/final/weight")).isTrue();
        SparseViewSimulator sim = SparseViewSimulator.parallel(16, 40, 5, 10);
        Dataset data =
                SparseViewPairs.phantoms(PhantomGenerator.randomEllipses(1, 3), sim, 4, 1, true);
        String dec = "decoder/up0/0/weight";
        INDArray teacherBefore = m.parameters().get("teacher_" + dec).dup();
        double momentum = 0.9;
        Trainer t =
                Trainer.builder(m)
                        .objective(DistillationObjective.gloReDi(net))
                        .optimizer(Adam.defaults())
                        .learningRate(1e-3)
                        .batchSize(2)
                        .maxSteps(1)
                        .listener(GloReDiDistillation.emaListener(m, momentum))
                        .build();
        t.fit(data);
        INDArray studentAfter = m.parameters().get("student/" + dec);
        INDArray expected = teacherBefore.mul(momentum).add(studentAfter.mul(1 - momentum));
        assertThat(m.parameters().get("teacher_" + dec).sub(expected).amaxNumber().doubleValue())
                .isLessThan(1e-6);
        assertThat(studentAfter.sub(teacherBefore).amaxNumber().doubleValue()).isGreaterThan(0);
        // the extracted student equals the student path of the distillation model
        Model student = GloReDiDistillation.student(m);
        Sample s = data.get(0, new SplittableRandom(3));
        INDArray sparse = s.inputs().get(0).reshape(1, 1, 16, 16);
        INDArray dense = s.inputs().get(1).reshape(1, 1, 16, 16);
        assertThat(student.predict(sparse).sub(m.predict(sparse, dense)).amaxNumber().doubleValue())
                .isLessThan(1e-6);
        assertThat(t.history().steps().get(0).loss()).isFinite();
    }

    /** The objective's latent term reaches only the student (stop-gradient on the teacher). */
    @Test
    void latentLossDoesNotTrainTheTeacherEncoder() {
        FfcEncoderDecoder net = new FfcEncoderDecoder(1, 1, 4, 2, 1, 1, 0.75, 1024, false);
        Model m = new GloReDiDistillation(net).newModel(5);
        SameDiff sd = SameDiff.create();
        Model.Graph g = m.build(sd, true);
        SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, 1, -1, -1);
        // latent term only
        SDVariable loss = new DistillationObjective(0, 1, 8, 1).loss(g.scope(), g.output(), target);
        SDVariable onlyLatent = loss.sub(EnhancementLosses.smoothL1(sd, g.output(), target, 1));
        sd.setLossVariables(onlyLatent);
        Nd4j.getRandom().setSeed(6);
        Map<String, INDArray> feed =
                Map.of(
                        "sparse", Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16),
                        "dense", Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16),
                        "target", Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16));
        org.voxel4j.nn.Graphs.prepareGradients(sd);
        Map<String, INDArray> grads =
                sd.calculateGradients(
                        feed,
                        "student/encoder/stem/ffc/convl2l/weight",
                        "teacher_encoder/stem/ffc/convl2l/weight");
        assertThat(grads.get("student/encoder/stem/ffc/convl2l/weight").amaxNumber().doubleValue())
                .isGreaterThan(0);
        INDArray tg = grads.get("teacher_encoder/stem/ffc/convl2l/weight");
        assertThat(tg == null || tg.amaxNumber().doubleValue() == 0).isTrue();
    }
}
