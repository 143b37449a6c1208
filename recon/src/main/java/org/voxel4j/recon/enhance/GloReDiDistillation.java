package org.voxel4j.recon.enhance;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.train.Trainer;
import org.voxel4j.recon.ffc.FfcEncoderDecoder;

/**
 * Global-representation distillation for sparse-view CT (GloReDi, Z. Li et al., ICCV 2023, §3.2): a
 * student FFC encoder–decoder sees the sparse-view FBP, a teacher encoder sees the FBP from twice
 * the views, and the student's latent is pulled towards the teacher's. The teacher decoder is an
 * exponential moving average of the student decoder ({@link #emaListener}).
 *
 * <p>Inputs: {@code (sparse [N, 1, H, W], dense [N, 1, H, W])}; output: the student's image.
 * Auxiliary outputs for {@link DistillationObjective}: {@code student/latent}, {@code
 * teacher_latent}, {@code teacher_output}. Parameters: {@code student/*} (an {@link
 * FfcEncoderDecoder}), {@code teacher_encoder/*}, {@code teacher_decoder/*}.
 *
 * <p>Differences from the published training loop, which alternates a teacher step and a student
 * step per batch: here one optimiser step minimises the sum of both losses, and the teacher latent
 * enters the student's loss through a stop-gradient, as in the original's {@code no_grad} teacher
 * pass. The supervised contrastive loss on a DCT band of the latent is not included.
 *
 * @param network the student (and teacher) architecture
 */
public record GloReDiDistillation(FfcEncoderDecoder network) implements Module {

    public static final String STUDENT = "student";
    public static final String TEACHER_ENCODER = "teacher_encoder";
    public static final String TEACHER_DECODER = "teacher_decoder";
    public static final String TEACHER_OUTPUT = "teacher_output";
    public static final String TEACHER_LATENT = "teacher_latent";
    public static final String STUDENT_LATENT = STUDENT + "/" + FfcEncoderDecoder.LATENT;

    public GloReDiDistillation {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 2);
        SDVariable student = s.call(STUDENT, network, inputs[0]);
        SDVariable latent = s.call(TEACHER_ENCODER, network.encoder(), inputs[1]);
        SDVariable teacher = s.call(TEACHER_DECODER, network.decoder(), latent);
        if (network.globalSkip()) {
            teacher = teacher.add(inputs[1]);
        }
        s.auxOutput(TEACHER_LATENT, latent);
        s.auxOutput(TEACHER_OUTPUT, teacher);
        return student;
    }

    /**
     * A model of this module with inputs {@code sparse} and {@code dense} ({@code [N, C, H, W]}).
     */
    public Model newModel(long seed) {
        Model m =
                Model.create(
                        this,
                        seed,
                        InputSpec.of("sparse", -1, network.inChannels(), -1, -1),
                        InputSpec.of("dense", -1, network.inChannels(), -1, -1));
        synchronise(m);
        m.parameters().freeze(n -> n.startsWith(TEACHER_DECODER + "/"));
        return m;
    }

    /**
     * Copies the student's encoder and decoder weights (and BN statistics) into the teacher, as the
     * published code does before training.
     */
    public static void synchronise(Model m) {
        ParameterStore p = m.parameters();
        for (String name : p.names()) {
            String src = sourceOf(name);
            if (src != null) {
                p.get(name).assign(p.get(src));
            }
        }
    }

    /**
     * After every optimiser step: {@code teacher_decoder ← momentum · teacher_decoder + (1 −
     * momentum) · student decoder} for every parameter (GloReDi: momentum 0.999).
     */
    public static Trainer.TrainingListener emaListener(Model m, double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("EMA momentum must be in [0, 1], got " + momentum);
        }
        return new Trainer.TrainingListener() {
            @Override
            public void onStep(org.voxel4j.nn.train.TrainingHistory.StepRecord r) {
                ParameterStore p = m.parameters();
                for (String name : p.parameterNames()) {
                    if (name.startsWith(TEACHER_DECODER + "/")) {
                        INDArray t = p.get(name);
                        t.muli(momentum).addi(p.get(sourceOf(name)).mul(1 - momentum));
                    }
                }
            }
        };
    }

    /** The student alone as a single-input model (input {@code image}), weights copied. */
    public static Model student(Model distillation) {
        if (!(distillation.network() instanceof GloReDiDistillation d)) {
            throw new IllegalArgumentException(
                    "not a GloReDiDistillation model: " + distillation.network());
        }
        Model m =
                Model.create(
                        d.network(),
                        distillation.seed(),
                        distillation.dataType(),
                        InputSpec.of("image", -1, d.network().inChannels(), -1, -1));
        ParameterStore from = distillation.parameters();
        for (String name : m.parameters().names()) {
            m.parameters().get(name).assign(from.get(STUDENT + "/" + name));
        }
        return m;
    }

    private static String sourceOf(String name) {
        if (name.startsWith(TEACHER_ENCODER + "/")) {
            return STUDENT + "/encoder/" + name.substring(TEACHER_ENCODER.length() + 1);
        }
        if (name.startsWith(TEACHER_DECODER + "/")) {
            return STUDENT + "/decoder/" + name.substring(TEACHER_DECODER.length() + 1);
        }
        return null;
    }
}
