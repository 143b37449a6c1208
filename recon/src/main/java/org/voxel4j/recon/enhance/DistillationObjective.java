package org.voxel4j.recon.enhance;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.train.Objective;
import org.voxel4j.recon.ffc.FfcEncoderDecoder;

/**
 * The training objective of {@link GloReDiDistillation}: smooth-L1 image losses of the student and
 * the teacher against the ground truth, plus the cosine latent loss between the first {@code
 * latentChannels} of the student's and the teacher's latent channels, the teacher's latent held
 * fixed (stop-gradient). GloReDi's settings ({@link #gloReDi}): latent weight 0.002, half the
 * latent channels, smooth-L1 with β = 1.
 *
 * @param teacherWeight weight of the teacher's image loss
 * @param latentWeight weight of the cosine latent loss
 * @param latentChannels number of leading latent channels compared
 * @param beta smooth-L1 β
 */
public record DistillationObjective(
        double teacherWeight, double latentWeight, int latentChannels, double beta)
        implements Objective {

    public DistillationObjective {
        if (!(teacherWeight >= 0) || !(latentWeight >= 0)) {
            throw new IllegalArgumentException(
                    "loss weights must be >= 0, got teacher "
                            + teacherWeight
                            + ", latent "
                            + latentWeight);
        }
        if (latentChannels < 1) {
            throw new IllegalArgumentException(
                    "latentChannels must be >= 1, got " + latentChannels);
        }
        if (!(beta > 0)) {
            throw new IllegalArgumentException("smooth-L1 beta must be > 0, got " + beta);
        }
    }

    /**
     * GloReDi's weights for {@code network}: teacher 1, latent 0.002 on {@code int(C · 0.5)} latent
     * channels, β = 1.
     */
    public static DistillationObjective gloReDi(FfcEncoderDecoder network) {
        int c = network.encoder().channels(network.downsamplings());
        return new DistillationObjective(1, 0.002, Math.max(1, (int) (c * 0.5)), 1);
    }

    @Override
    public SDVariable loss(Scope s, SDVariable prediction, SDVariable... targets) {
        Map<String, SDVariable> aux = s.auxOutputs();
        SDVariable teacherOut = aux.get(GloReDiDistillation.TEACHER_OUTPUT);
        SDVariable teacherLatent = aux.get(GloReDiDistillation.TEACHER_LATENT);
        SDVariable studentLatent = aux.get(GloReDiDistillation.STUDENT_LATENT);
        if (teacherOut == null || teacherLatent == null || studentLatent == null) {
            throw new IllegalStateException(
                    "DistillationObjective needs a GloReDiDistillation network; auxiliary outputs: "
                            + aux.keySet());
        }
        SDVariable gt = targets[0];
        SDVariable loss = EnhancementLosses.smoothL1(s.sd(), prediction, gt, beta);
        if (teacherWeight > 0) {
            loss =
                    loss.add(
                            EnhancementLosses.smoothL1(s.sd(), teacherOut, gt, beta)
                                    .mul(teacherWeight));
        }
        if (latentWeight > 0) {
            SDVariable fixed = new StopGradient(s.sd(), teacherLatent).outputVariable();
            loss =
                    loss.add(
                            EnhancementLosses.cosineDistance(
                                            s.sd(), studentLatent, fixed, latentChannels, 1e-8)
                                    .mul(latentWeight));
        }
        return loss;
    }
}
