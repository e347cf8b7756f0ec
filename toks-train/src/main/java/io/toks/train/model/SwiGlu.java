package io.toks.train.model;

import io.toks.engine.math.VectorKernels;
import io.toks.train.kernel.ReproducibleMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * SwiGLU's elementwise step, {@code act = silu(gate) ⊙ up}, over rows laid out {@code [gate | up]}
 * (width 2 · hidden, as the fused projection writes them). Backward, with σ the sigmoid:
 * {@code dup = dact · silu(gate)}, {@code dgate = dact · up · σ(gate) (1 + gate (1 - σ(gate)))}.
 */
final class SwiGlu {

    private static final VectorSpecies<Float> F = VectorKernels.F;

    private SwiGlu() {}

    static void forward(float[] gateUp, float[] act, int hidden, int from, int to) {
        for (int row = from; row < to; row++) {
            int g = row * 2 * hidden, a = row * hidden;
            for (int i = 0; i < hidden; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, hidden);
                FloatVector x = FloatVector.fromArray(F, gateUp, g + i, m), u = FloatVector.fromArray(F, gateUp, g + hidden + i, m);
                x.mul(sigmoid(x)).mul(u).intoArray(act, a + i, m);
            }
        }
    }

    /** Rows [from, to): dGateUp (same layout as gateUp) from dAct. */
    static void backward(float[] gateUp, float[] dAct, float[] dGateUp, int hidden, int from, int to) {
        for (int row = from; row < to; row++) {
            int g = row * 2 * hidden, a = row * hidden;
            for (int i = 0; i < hidden; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, hidden);
                FloatVector x = FloatVector.fromArray(F, gateUp, g + i, m), u = FloatVector.fromArray(F, gateUp, g + hidden + i, m);
                FloatVector d = FloatVector.fromArray(F, dAct, a + i, m), s = sigmoid(x);
                d.mul(x.mul(s)).intoArray(dGateUp, g + hidden + i, m);
                d.mul(u).mul(s).mul(x.mul(s.neg().add(1f)).add(1f)).intoArray(dGateUp, g + i, m);
            }
        }
    }

    private static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        return one.div(one.add(ReproducibleMath.exp(x.neg())));
    }
}
