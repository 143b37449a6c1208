package org.voxel4j.nn.losses;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.testing.Fixtures;

/** The loss configurations of the fixture cases in fixtures/losses/losses.json. */
final class LossCases {
    private LossCases() {}

    static final String FIXTURE = "/fixtures/losses/losses.json";

    static List<JsonNode> all() {
        List<JsonNode> l = new ArrayList<>();
        Fixtures.json(FIXTURE).forEach(l::add);
        return l;
    }

    static Module moduleFor(String name) {
        return switch (name) {
            case "ce_2d", "ce_nospatial" -> CrossEntropyLoss.of();
            case "ce_3d_weight_ignore" -> CrossEntropyLoss.of().withWeight(0.5, 2.0, 1.0, 3.0);
            case "ce_ignore0_weight_smoothing" ->
                    CrossEntropyLoss.of()
                            .withWeight(0.5, 2.0, 1.0, 3.0)
                            .withIgnoreIndex(0)
                            .withLabelSmoothing(0.1);
            case "ce_1d_sum_smoothing_ignore" ->
                    CrossEntropyLoss.of().withReduction(Reduction.SUM).withLabelSmoothing(0.2);
            case "ce_probabilities_weight_smoothing" ->
                    CrossEntropyLoss.of()
                            .withProbabilityTargets(true)
                            .withWeight(0.3, 1.0, 2.0)
                            .withLabelSmoothing(0.1);
            case "bce_2d" -> BceWithLogitsLoss.of();
            case "bce_3d_posweight_weight" -> BceWithLogitsLoss.of().withPosWeight(2.0, 0.5, 1.5);
            case "bce_nospatial_sum_posweight" ->
                    BceWithLogitsLoss.of()
                            .withPosWeight(1.0, 3.0, 0.25)
                            .withReduction(Reduction.SUM);
            case "dice_softmax_onehot_2d", "dice_softmax_per_item_empty_class_3d" ->
                    DiceLoss.multiClass();
            case "dice_softmax_nobg_batch_3d_empty_class" ->
                    DiceLoss.multiClass().withIncludeBackground(false).withBatch(true);
            case "dice_sigmoid_squared_jaccard_sum" ->
                    DiceLoss.multiLabel()
                            .withSquaredPred(true)
                            .withJaccard(true)
                            .withReduction(Reduction.SUM);
            case "dice_noact_onehot_weight_smooth" ->
                    DiceLoss.of().withWeight(0.2, 1.0, 2.5).withSmooth(0.5, 1.0);
            case "dice_softmax_1d_nobg_weight" ->
                    DiceLoss.multiClass().withIncludeBackground(false).withWeight(1.0, 2.0, 0.5);
            case "dicece_softmax_onehot_y_3d" -> DiceCeLoss.multiClass();
            case "dicece_onehot_targets_weight_nobg_batch" ->
                    DiceCeLoss.of()
                            .withIncludeBackground(false)
                            .withSoftmax(true)
                            .withBatch(true)
                            .withWeight(0.5, 1.0, 2.0)
                            .withLambdas(0.7, 1.3);
            case "dicece_sum_smoothing_squared" ->
                    DiceCeLoss.multiClass()
                            .withSquaredPred(true)
                            .withReduction(Reduction.SUM)
                            .withLabelSmoothing(0.1);
            case "dicece_nnunet_batch" -> DiceCeLoss.nnUNet(true);
            case "focal_2d_gamma2" -> FocalLoss.of();
            case "focal_3d_alpha_ignore_gamma15" ->
                    FocalLoss.of().withGamma(1.5).withAlpha(0.25, 0.75, 0.5, 1.0);
            case "focal_nospatial_sum_gamma3" ->
                    FocalLoss.of().withGamma(3.0).withReduction(Reduction.SUM);
            case "sigmoid_focal_default" -> SigmoidFocalLoss.of();
            case "sigmoid_focal_noalpha_sum_gamma15" ->
                    new SigmoidFocalLoss(-1, 1.5, Reduction.SUM);
            case "ftl_binary_abraham" -> FocalTverskyLoss.binary();
            case "ftl_softmax_per_item_3d" -> FocalTverskyLoss.of().withBatch(false);
            case "ftl_softmax_nobg_batch_sum" ->
                    FocalTverskyLoss.of()
                            .withAlphaBeta(0.6, 0.4)
                            .withGamma(2.0)
                            .withSmooth(0.5)
                            .withIncludeBackground(false)
                            .withReduction(Reduction.SUM);
            case "l1_mean", "l1_mask_mean" -> L1Loss.of();
            case "l1_sum" -> new L1Loss(Reduction.SUM);
            case "mse_mean", "mse_weight_mean" -> MseLoss.of();
            case "mse_mask_sum" -> new MseLoss(Reduction.SUM);
            case "smoothl1_beta1_3d" -> SmoothL1Loss.of();
            case "smoothl1_beta05_weight" -> SmoothL1Loss.of(0.5);
            case "smoothl1_beta0_sum" -> new SmoothL1Loss(0.0, Reduction.SUM);
            default -> throw new IllegalArgumentException("no loss for fixture case " + name);
        };
    }
}
