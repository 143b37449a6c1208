package org.voxel4j.nn.layers;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling3D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling3DConfig;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.engine.PoolOps;

/**
 * Max or average pooling over 2 or 3 spatial axes, PyTorch's {@code nn.MaxPool2d/3d} and {@code
 * nn.AvgPool2d/3d} without padding (average pooling divides by the full window).
 */
public record Pool(Kind kind, int spatialDims, List<Integer> kernel, List<Integer> stride)
        implements Module {

    /** Pooling function. */
    public enum Kind {
        MAX,
        AVG
    }

    public Pool {
        if (kind == null) {
            throw new IllegalArgumentException("Pool kind must not be null");
        }
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException(
                    "Pool supports 2 or 3 spatial dims, got " + spatialDims);
        }
        kernel = Dims.perAxis("Pool", "kernel", kernel, spatialDims, 1);
        stride = Dims.perAxis("Pool", "stride", stride, spatialDims, 1);
    }

    /** {@code kernel = stride = factor}. */
    public static Pool max(int spatialDims, int factor) {
        return new Pool(Kind.MAX, spatialDims, List.of(factor), List.of(factor));
    }

    /** {@code kernel = stride = factor}. */
    public static Pool avg(int spatialDims, int factor) {
        return new Pool(Kind.AVG, spatialDims, List.of(factor), List.of(factor));
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x = inputs[0];
        if (kind == Kind.MAX && Engine.enabled()) {
            return PoolOps.maxPool(
                    s.sd(),
                    x,
                    kernel.stream().mapToInt(Integer::intValue).toArray(),
                    stride.stream().mapToInt(Integer::intValue).toArray());
        }
        if (spatialDims == 3) {
            Pooling3DConfig c =
                    Pooling3DConfig.builder()
                            .kD(kernel.get(0))
                            .kH(kernel.get(1))
                            .kW(kernel.get(2))
                            .sD(stride.get(0))
                            .sH(stride.get(1))
                            .sW(stride.get(2))
                            .pD(0)
                            .pH(0)
                            .pW(0)
                            .dD(1)
                            .dH(1)
                            .dW(1)
                            .isSameMode(false)
                            .isNCDHW(true)
                            .type(
                                    kind == Kind.MAX
                                            ? Pooling3D.Pooling3DType.MAX
                                            : Pooling3D.Pooling3DType.AVG)
                            .build();
            return kind == Kind.MAX
                    ? s.sd().cnn().maxPooling3d(x, c)
                    : s.sd().cnn().avgPooling3d(x, c);
        }
        Pooling2DConfig c =
                Pooling2DConfig.builder()
                        .kH(kernel.get(0))
                        .kW(kernel.get(1))
                        .sH(stride.get(0))
                        .sW(stride.get(1))
                        .pH(0)
                        .pW(0)
                        .dH(1)
                        .dW(1)
                        .paddingMode(PaddingMode.VALID)
                        .isNHWC(false)
                        .type(
                                kind == Kind.MAX
                                        ? Pooling2D.Pooling2DType.MAX
                                        : Pooling2D.Pooling2DType.AVG)
                        .divisor(Pooling2D.Divisor.INCLUDE_PADDING)
                        .build();
        return kind == Kind.MAX ? s.sd().cnn().maxPooling2d(x, c) : s.sd().cnn().avgPooling2d(x, c);
    }
}
