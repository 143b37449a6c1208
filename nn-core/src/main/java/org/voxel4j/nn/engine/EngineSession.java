package org.voxel4j.nn.engine;

import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * SameDiff's inference session, extended to run {@link JavaOp}s in Java. Every other op goes to
 * ND4J exactly as in {@link InferenceSession}; the session is created for every graph once {@link
 * Engine#install()} has bound its factory.
 */
public class EngineSession extends InferenceSession {

    public EngineSession(SameDiff sd) {
        super(sd);
        if (!"off".equals(System.getProperty("voxel4j.engine.pool"))) {
            setMmgr(new PoolMemMgr());
        }
    }

    /**
     * After an execution, arrays SameDiff allocated but did not release go back to the pool unless
     * they share memory with an output (see {@link PoolMemMgr#reclaimExcept}). Only when the graph
     * has SameDiff's cache enabled; an op listener that keeps references to activations sees them
     * overwritten by later executions (as with SameDiff's own cache).
     */
    @Override
    protected Map<String, SDValue> postProcessOutputValues(Map<String, SDValue> output) {
        Map<String, SDValue> r = super.postProcessOutputValues(output);
        if (getMmgr() instanceof PoolMemMgr pool && sameDiff.isEnableCache()) {
            java.util.List<org.nd4j.linalg.api.ndarray.INDArray> keep = new java.util.ArrayList<>();
            for (SDValue v : r.values()) {
                if (v == null) {
                    continue;
                }
                switch (v.getSdValueType()) {
                    case TENSOR -> keep.add(v.getTensorValue());
                    case LIST -> keep.addAll(v.getListValue());
                    default -> {
                        if (v.getDictValue() != null) {
                            keep.addAll(v.getDictValue().values());
                        }
                    }
                }
            }
            pool.reclaimExcept(keep);
        }
        return r;
    }

    @Override
    public ExecutionResult doExec(
            DifferentialFunction op,
            OpContext oc,
            FrameIter outputFrameIter,
            Set<VarId> opInputs,
            Set<VarId> allIterInputs,
            Set<String> constAndPhInputs,
            Map<String, SDValue> otherPlaceHolders) {
        if (op instanceof JavaOp j) {
            j.execute(oc);
            return ExecutionResult.createFrom(op, oc);
        }
        return super.doExec(
                op,
                oc,
                outputFrameIter,
                opInputs,
                allIterInputs,
                constAndPhInputs,
                otherPlaceHolders);
    }
}
