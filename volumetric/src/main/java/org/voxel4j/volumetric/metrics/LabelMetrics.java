package org.voxel4j.volumetric.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Segmentation metrics of one label of one case, as defined in METRICS.md ("Segmentation"); A =
 * prediction, B = reference.
 *
 * <ul>
 *   <li>Dice = 2|A&cap;B| / (|A|+|B|), IoU = |A&cap;B| / |A&cup;B|.
 *   <li>HD95 = max(P95(d(A&rarr;B)), P95(d(B&rarr;A))) over surface voxels, P95 with linear
 *       interpolation ({@link Percentiles#linear}); HD100 likewise with the maximum.
 *   <li>ASSD = (&Sigma;d(A&rarr;B) + &Sigma;d(B&rarr;A)) / (|&part;A| + |&part;B|).
 *   <li>Volumes in mL = voxel count &times; product of the spacing / 1000 (for a 2D array the
 *       product of its two spacings); volume error = (V_A &minus; V_B) / V_B.
 * </ul>
 *
 * Empty masks ({@link #flag()}): both empty &rarr; Dice 1, IoU 1, HD95 = HD100 = ASSD = 0, volume
 * error 0, hd95-surfel 0, surface Dice 1; exactly one empty &rarr; Dice 0, IoU 0, HD95 = HD100 =
 * ASSD = hd95-surfel = +Infinity, surface Dice 0, volume error &minus;1 (prediction empty) or
 * +Infinity (reference empty).
 *
 * @param surfel surface-element metrics, or null when not requested
 */
public record LabelMetrics(
        int label,
        EmptyFlag flag,
        long predVoxels,
        long refVoxels,
        long intersectionVoxels,
        double dice,
        double iou,
        double hd95,
        double hd100,
        double assd,
        double volumePredMl,
        double volumeRefMl,
        double volumeError,
        SurfelMetrics surfel) {

    public static final String DICE = "dice";
    public static final String IOU = "iou";
    public static final String HD95 = "hd95";
    public static final String HD100 = "hd100";
    public static final String ASSD = "assd";
    public static final String VOLUME_PRED_ML = "volume_pred_ml";
    public static final String VOLUME_REF_ML = "volume_ref_ml";
    public static final String VOLUME_ERROR = "volume_error";
    public static final String HD95_SURFEL = "hd95-surfel";

    public LabelMetrics {
        if (flag == null) {
            throw new IllegalArgumentException("flag is null");
        }
    }

    /**
     * The metric values by report name ({@link #DICE}, ..., {@link #HD95_SURFEL}, {@code
     * surface_dice@<t>mm}), in a fixed order. Infinite values stay {@code Infinity}; the caller
     * decides how to print them.
     */
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(DICE, dice);
        m.put(IOU, iou);
        m.put(HD95, hd95);
        m.put(HD100, hd100);
        m.put(ASSD, assd);
        m.put(VOLUME_PRED_ML, volumePredMl);
        m.put(VOLUME_REF_ML, volumeRefMl);
        m.put(VOLUME_ERROR, volumeError);
        if (surfel != null) {
            m.put(HD95_SURFEL, surfel.hd95Surfel());
            double[] t = surfel.tolerancesMm();
            double[] v = surfel.surfaceDice();
            for (int i = 0; i < t.length; i++) {
                m.put(SurfelMetrics.surfaceDiceName(t[i]), v[i]);
            }
        }
        return m;
    }
}
