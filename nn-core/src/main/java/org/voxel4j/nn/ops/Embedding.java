package org.voxel4j.nn.ops;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Embedding lookup (PyTorch {@code F.embedding(indices, weight)}): {@code out[..., :] =
 * weight[indices[...], :]}.
 *
 * <p>Computed as {@code oneHot(indices, V) @ weight}, because ND4J's {@code gather} and {@code
 * embeddingLookup} have no working backward in 1.0.0-M2.1 (regression test in {@code
 * EmbeddingTest}). The product costs {@code O(numel(indices) * V * E)}: fine for vocabularies of a
 * few ten thousand tokens and short sequences, wasteful beyond. Indices outside {@code [0, V)} give
 * a zero row (the one-hot row is empty) rather than an error.
 */
public final class Embedding {
    private Embedding() {}

    /**
     * Looks up rows of {@code weight} ({@code [V, E]}, V taken from its static shape, so it must be
     * a variable or constant) for integer {@code indices} of any shape; the result has shape {@code
     * indices.shape + [E]}.
     */
    public static SDVariable lookup(SameDiff sd, SDVariable weight, SDVariable indices) {
        long[] ws = weight.getShape();
        if (ws == null || ws.length != 2 || ws[0] <= 0) {
            throw new IllegalArgumentException(
                    "embedding weight '"
                            + weight.name()
                            + "' must have a static shape [V, E],"
                            + " got "
                            + Arrays.toString(ws)
                            + "; pass the vocabulary size explicitly");
        }
        return lookup(sd, weight, indices, (int) ws[0]);
    }

    /** As {@link #lookup(SameDiff, SDVariable, SDVariable)} with an explicit vocabulary size. */
    public static SDVariable lookup(
            SameDiff sd, SDVariable weight, SDVariable indices, int vocabSize) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabSize must be >= 1, got " + vocabSize);
        }
        if (indices.dataType().isFPType()) {
            throw new IllegalArgumentException(
                    "embedding indices '"
                            + indices.name()
                            + "' must be integer, got "
                            + indices.dataType());
        }
        SDVariable oneHot = sd.oneHot(indices, vocabSize, -1, 1.0, 0.0, weight.dataType());
        SDVariable rows = sd.mmul(sd.reshape(oneHot, -1, vocabSize), weight);
        long[] ws = weight.getShape();
        SDVariable outShape =
                ws != null && ws.length == 2 && ws[1] > 0
                        ? Shapes.padVector(sd, sd.shape(indices), 0, 1, ws[1])
                        : Shapes.shapeOf(
                                sd, sd.shape(indices), Shapes.dims(sd, sd.shape(weight), 1, 2));
        return sd.reshape(rows, outShape);
    }
}
