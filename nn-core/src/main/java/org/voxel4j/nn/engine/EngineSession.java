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
