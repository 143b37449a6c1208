package org.voxel4j.nn.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Learning rate as a function of the optimiser step (0 for the first update). Epoch-based schedules
 * are expressed in steps: multiply epochs by steps per epoch.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LrSchedule.Constant.class, name = "constant"),
    @JsonSubTypes.Type(value = LrSchedule.Step.class, name = "step"),
    @JsonSubTypes.Type(value = LrSchedule.MultiStep.class, name = "multistep"),
    @JsonSubTypes.Type(value = LrSchedule.Poly.class, name = "poly"),
    @JsonSubTypes.Type(value = LrSchedule.Cosine.class, name = "cosine")
})
public sealed interface LrSchedule {

    /** The learning rate of update number {@code step} (0-based). */
    double at(long step);

    static LrSchedule constant(double lr) {
        return new Constant(lr);
    }

    /** {@code lr·gamma^floor(step/stepSize)}, PyTorch's {@code StepLR}. */
    static LrSchedule step(double lr, long stepSize, double gamma) {
        return new Step(lr, stepSize, gamma);
    }

    /** {@code lr·gamma^(number of milestones ≤ step)}, PyTorch's {@code MultiStepLR}. */
    static LrSchedule multiStep(double lr, List<Long> milestones, double gamma) {
        return new MultiStep(lr, milestones, gamma);
    }

    /** nnU-Net's poly decay: {@code lr·(1 − step/total)^power}. */
    static LrSchedule poly(double lr, long totalSteps, double power) {
        return new Poly(lr, totalSteps, power);
    }

    /**
     * Linear warm-up from 0 over {@code warmupSteps}, then cosine decay from {@code lr} to {@code
     * minLr} at {@code totalSteps} (held after).
     */
    static LrSchedule cosine(double lr, long warmupSteps, long totalSteps, double minLr) {
        return new Cosine(lr, warmupSteps, totalSteps, minLr);
    }

    private static void checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
    }

    /** A fixed rate. */
    record Constant(double lr) implements LrSchedule {
        public Constant {
            checkLr(lr);
        }

        @Override
        public double at(long step) {
            return lr;
        }
    }

    /** Decay by {@code gamma} every {@code stepSize} steps. */
    record Step(double lr, long stepSize, double gamma) implements LrSchedule {
        public Step {
            checkLr(lr);
            if (stepSize <= 0) {
                throw new IllegalArgumentException("stepSize must be > 0, got " + stepSize);
            }
        }

        @Override
        public double at(long step) {
            return lr * Math.pow(gamma, Math.floorDiv(step, stepSize));
        }
    }

    /** Decay by {@code gamma} at each milestone. */
    record MultiStep(double lr, List<Long> milestones, double gamma) implements LrSchedule {
        public MultiStep {
            checkLr(lr);
            milestones = List.copyOf(milestones);
        }

        @Override
        public double at(long step) {
            long passed = milestones.stream().filter(m -> m <= step).count();
            return lr * Math.pow(gamma, passed);
        }
    }

    /** Polynomial decay to 0 at {@code totalSteps}. */
    record Poly(double lr, long totalSteps, double power) implements LrSchedule {
        public Poly {
            checkLr(lr);
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("totalSteps must be > 0, got " + totalSteps);
            }
        }

        @Override
        public double at(long step) {
            double f = Math.max(0.0, 1.0 - (double) step / totalSteps);
            return lr * Math.pow(f, power);
        }
    }

    /** Warm-up then cosine annealing. */
    record Cosine(double lr, long warmupSteps, long totalSteps, double minLr)
            implements LrSchedule {
        public Cosine {
            checkLr(lr);
            checkLr(minLr);
            if (warmupSteps < 0 || totalSteps <= warmupSteps) {
                throw new IllegalArgumentException(
                        "need 0 <= warmupSteps < totalSteps, got "
                                + warmupSteps
                                + " and "
                                + totalSteps);
            }
        }

        @Override
        public double at(long step) {
            if (step < warmupSteps) {
                return lr * (step + 1) / warmupSteps;
            }
            double t = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
            return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * t));
        }
    }
}
