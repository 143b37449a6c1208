package org.voxel4j.nn.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * A SameDiff op whose forward runs as Java code in the voxel4j engine ({@link EngineSession}) and
 * whose gradient is written by hand in {@link #doDiff}.
 *
 * <p>The op takes part in graphs like any native op: SameDiff builds its output variables from
 * {@link #outputTypes}, calls {@link #doDiff} when it creates the gradient function, and clones it
 * into that function through its flat-buffer form, which is why every subclass has a public no-arg
 * constructor and keeps its whole configuration in the integer, floating-point and boolean argument
 * lists (restored by {@link #configureFromArguments}). Execution needs the engine's inference
 * factory ({@link Engine#install()}, done by every constructor); a graph with such an op cannot be
 * exported to a flat-buffer file for native execution.
 */
public abstract class JavaOp extends DynamicCustomOp {

    /** For cloning by SameDiff (the configuration arrives through the argument lists). */
    protected JavaOp() {}

    /** Adds the op to {@code sd} with the given inputs. */
    protected JavaOp(SameDiff sd, SDVariable... inputs) {
        super(null, sd, inputs);
        Engine.install();
        Engine.adopt(sd);
    }

    /** Unique op name, {@code voxel4j_...}. */
    @Override
    public abstract String opName();

    /** Number of outputs. */
    protected abstract int outputCount();

    /** Shapes of the outputs for the given input arrays (validates them). */
    protected abstract long[][] outputShapes(INDArray[] inputs);

    /** Computes the outputs (preallocated with {@link #outputShapes}) from the inputs. */
    protected abstract void compute(INDArray[] inputs, INDArray[] outputs);

    /** Output data types; by default all equal to the first input's. */
    protected List<DataType> outputTypes(List<DataType> inputTypes) {
        List<DataType> out = new ArrayList<>();
        for (int i = 0; i < outputCount(); i++) {
            out.add(inputTypes.get(0));
        }
        return out;
    }

    /** Restores fields from the argument lists (after cloning). */
    protected abstract void readArguments();

    @Override
    public final void configureFromArguments() {
        readArguments();
    }

    @Override
    public final int getNumOutputs() {
        return outputCount();
    }

    @Override
    public final List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
        return outputTypes(inputTypes);
    }

    @Override
    public Map<String, Object> propertiesForFunction() {
        // Everything lives in the argument lists; there is no native op descriptor to consult.
        return new HashMap<>();
    }

    @Override
    public final List<LongShapeDescriptor> calculateOutputShape() {
        SDVariable[] args = args();
        INDArray[] in = new INDArray[args.length];
        for (int i = 0; i < args.length; i++) {
            in[i] = args[i].getArr();
            if (in[i] == null) {
                return List.of();
            }
        }
        return descriptors(in);
    }

    @Override
    public final List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
        Engine.requireInstalled(opName());
        return descriptors(oc.getInputArrays().toArray(new INDArray[0]));
    }

    private List<LongShapeDescriptor> descriptors(INDArray[] in) {
        long[][] shapes = outputShapes(in);
        List<DataType> types = outputTypes(Arrays.stream(in).map(INDArray::dataType).toList());
        List<LongShapeDescriptor> out = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            out.add(LongShapeDescriptor.fromShape(shapes[i], types.get(i)));
        }
        return out;
    }

    /** Runs the op on the arrays of an op context (called by {@link EngineSession}). */
    final void execute(OpContext oc) {
        INDArray[] in = oc.getInputArrays().toArray(new INDArray[0]);
        INDArray[] out = oc.getOutputArrays().toArray(new INDArray[0]);
        compute(in, out);
    }

    /** Boolean argument {@code i}. */
    protected final boolean bArg(int i) {
        return bArguments.get(i);
    }

    /** Integer argument {@code i}. */
    protected final long iArg(int i) {
        return iArguments.get(i);
    }

    /** Floating-point argument {@code i}. */
    protected final double tArg(int i) {
        return tArguments.get(i);
    }

    /**
     * {@code [outer, shape[axis], inner]}: the products of the dimensions before and after {@code
     * axis} around it, the block layout of a C-order array seen along one axis.
     *
     * @param what names the op in the error for an axis out of range
     */
    static long[] aroundAxis(long[] shape, int axis, String what) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException(
                    what + " axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new long[] {outer, shape[axis], inner};
    }
}
