package org.voxel4j.volumetric.nets;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.PadMode;

/**
 * Conventions shared by the segmentation networks of this package.
 *
 * <ul>
 *   <li>The module's return value is the full-resolution logits {@code [N, K, *S]} of the head
 *       named {@code head} (a 1×1 convolution with bias).
 *   <li>Deep-supervision heads (1×1 convolutions named {@code ds<level>}) are published with {@link
 *       Scope#auxOutput} under {@code ds_<f0>x<f1>[x<f2>]}, where {@code f} is the head's
 *       down-sampling factor per axis relative to the input (e.g. {@code ds_4x4x4}); the
 *       deep-supervision objective reads the factors from the name to down-sample the reference.
 *   <li>Segmentation heads are the parameters under {@code head/} and {@code ds<level>/}; {@link
 *       #HEADS} selects them, e.g. to leave them out when fine-tuning on a task with another number
 *       of classes.
 * </ul>
 */
public final class SegmentationNets {
    private SegmentationNets() {}

    private static final Pattern AUX = Pattern.compile("ds_(\\d+(?:x\\d+)*)");
    private static final Pattern HEAD = Pattern.compile("(head|ds\\d+)(/.*)?");

    /** Parameter names of segmentation heads (final and deep-supervision). */
    public static final Predicate<String> HEADS =
            name -> {
                int slash = name.indexOf('/');
                String first = slash < 0 ? name : name.substring(0, slash);
                return HEAD.matcher(first).matches();
            };

    /** The auxiliary-output name of a head down-sampled by {@code factors}. */
    public static String auxName(int[] factors) {
        StringBuilder sb = new StringBuilder("ds_");
        for (int i = 0; i < factors.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(factors[i]);
        }
        return sb.toString();
    }

    /**
     * The down-sampling factors encoded in an auxiliary output's (possibly qualified) name, or null
     * if the name is not a deep-supervision head.
     */
    public static int[] auxFactors(String qualifiedName) {
        String last = qualifiedName.substring(qualifiedName.lastIndexOf('/') + 1);
        Matcher m = AUX.matcher(last);
        if (!m.matches()) {
            return null;
        }
        return Arrays.stream(m.group(1).split("x")).mapToInt(Integer::parseInt).toArray();
    }

    /** A 1×1 convolution with bias, {@code in → classes}: a segmentation head. */
    static Conv head(int spatialDims, int in, int classes) {
        return new Conv(
                spatialDims,
                in,
                classes,
                List.of(1),
                List.of(1),
                List.of(0),
                PadMode.ZEROS,
                1,
                true);
    }

    /** Parameters of {@link #head}. */
    static long headParameters(int in, int classes) {
        return (long) in * classes + classes;
    }

    /** Emits the head {@code name} (a 1×1 convolution) on {@code x}. */
    static SDVariable head(
            Scope s, String name, int spatialDims, int in, int classes, SDVariable x) {
        return s.call(name, head(spatialDims, in, classes), x);
    }

    static void requireChannels(String owner, String what, List<Integer> channels, int minLevels) {
        if (channels == null || channels.size() < minLevels) {
            throw new IllegalArgumentException(
                    owner + " needs at least " + minLevels + " " + what + ", got " + channels);
        }
        for (Integer c : channels) {
            if (c == null || c < 1) {
                throw new IllegalArgumentException(
                        owner + " " + what + " must be >= 1, got " + channels);
            }
        }
    }
}
