package io.toks.train.model;

import static io.toks.train.model.ReferenceLayers.*;

/**
 * The whole model in double precision, composed of {@link ReferenceLayers}: weights in a double
 * array laid out as {@link Parameters} lays them out, the loss of a batch and its gradient in the
 * same layout.
 */
final class ReferenceTransformer {

    private final Parameters layout;
    private final ModelConfig c;
    private final int seq;

    ReferenceTransformer(Parameters layout, int seq) {
        this.layout = layout;
        this.c = layout.config();
        this.seq = seq;
    }

    double loss(double[] w, int[] inputs, int[] targets) {
        return run(w, inputs, targets, null);
    }

    /** The loss; its gradient with respect to every weight into {@code grad} (added). */
    double lossAndGradient(double[] w, int[] inputs, int[] targets, double[] grad) {
        return run(w, inputs, targets, grad);
    }

    private double run(double[] w, int[] inputs, int[] targets, double[] grad) {
        int n = inputs.length, dim = c.dim(), L = c.layers(), hs = c.headSize();
        double eps = c.rmsEps(), theta = c.ropeTheta();
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) x[t] = row(w, layout.embedding, inputs[t]);
        double[][][] xs = new double[L + 1][][], h1 = new double[L][][], q = new double[L][][], k = new double[L][][], v = new double[L][][];
        double[][][] qr = new double[L][][], kr = new double[L][][], att = new double[L][][], mid = new double[L][][], h2 = new double[L][][];
        double[][][] gate = new double[L][][], up = new double[L][][], act = new double[L][][];
        xs[0] = x;
        for (int l = 0; l < L; l++) {
            h1[l] = rmsNorm(xs[l], vector(w, layout.attnNorm[l]), eps);
            q[l] = linear(h1[l], matrix(w, layout.wq[l]));
            k[l] = linear(h1[l], matrix(w, layout.wk[l]));
            v[l] = linear(h1[l], matrix(w, layout.wv[l]));
            qr[l] = rope(q[l], hs, seq, theta, false);
            kr[l] = rope(k[l], hs, seq, theta, false);
            att[l] = attention(qr[l], kr[l], v[l], c.heads(), c.kvHeads(), seq);
            mid[l] = add(xs[l], linear(att[l], matrix(w, layout.wo[l])));
            h2[l] = rmsNorm(mid[l], vector(w, layout.ffnNorm[l]), eps);
            gate[l] = linear(h2[l], matrix(w, layout.gate[l]));
            up[l] = linear(h2[l], matrix(w, layout.up[l]));
            act[l] = swiglu(gate[l], up[l]);
            xs[l + 1] = add(mid[l], linear(act[l], matrix(w, layout.down[l])));
        }
        double[][] hf = rmsNorm(xs[L], vector(w, layout.finalNorm), eps);
        double[][] logits = linear(hf, matrix(w, layout.output));
        double loss = crossEntropy(logits, targets);
        if (grad == null) return loss;

        double[][] dLogits = crossEntropyBackward(logits, targets);
        double[][] dOutput = new double[c.vocabSize()][dim];
        double[][] dx = linearBackward(dLogits, hf, matrix(w, layout.output), dOutput);
        addMatrix(grad, layout.output, dOutput);
        double[] dg = new double[dim];
        dx = rmsNormBackward(dx, xs[L], vector(w, layout.finalNorm), eps, dg);
        addVector(grad, layout.finalNorm, dg);
        for (int l = L - 1; l >= 0; l--) {
            // x_{l+1} = mid + down(act)
            double[][] dDown = zeros(layout.down[l]);
            double[][] dAct = linearBackward(dx, act[l], matrix(w, layout.down[l]), dDown);
            addMatrix(grad, layout.down[l], dDown);
            double[][][] dGateUp = swigluBackward(dAct, gate[l], up[l]);
            double[][] dGate = zeros(layout.gate[l]), dUp = zeros(layout.up[l]);
            double[][] dh2 = add(linearBackward(dGateUp[0], h2[l], matrix(w, layout.gate[l]), dGate),
                    linearBackward(dGateUp[1], h2[l], matrix(w, layout.up[l]), dUp));
            addMatrix(grad, layout.gate[l], dGate);
            addMatrix(grad, layout.up[l], dUp);
            dg = new double[dim];
            double[][] dMid = add(dx, rmsNormBackward(dh2, mid[l], vector(w, layout.ffnNorm[l]), eps, dg));
            addVector(grad, layout.ffnNorm[l], dg);
            // mid = x_l + wo(attention(rope(q), rope(k), v))
            double[][] dWo = zeros(layout.wo[l]);
            double[][] dAtt = linearBackward(dMid, att[l], matrix(w, layout.wo[l]), dWo);
            addMatrix(grad, layout.wo[l], dWo);
            double[][][] dqkv = attentionBackward(dAtt, qr[l], kr[l], v[l], c.heads(), c.kvHeads(), seq);
            double[][] dq = ropeBackward(dqkv[0], hs, seq, theta), dk = ropeBackward(dqkv[1], hs, seq, theta);
            double[][] dWq = zeros(layout.wq[l]), dWk = zeros(layout.wk[l]), dWv = zeros(layout.wv[l]);
            double[][] dh1 = add(add(linearBackward(dq, h1[l], matrix(w, layout.wq[l]), dWq),
                    linearBackward(dk, h1[l], matrix(w, layout.wk[l]), dWk)), linearBackward(dqkv[2], h1[l], matrix(w, layout.wv[l]), dWv));
            addMatrix(grad, layout.wq[l], dWq);
            addMatrix(grad, layout.wk[l], dWk);
            addMatrix(grad, layout.wv[l], dWv);
            dg = new double[dim];
            dx = add(dMid, rmsNormBackward(dh1, xs[l], vector(w, layout.attnNorm[l]), eps, dg));
            addVector(grad, layout.attnNorm[l], dg);
        }
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < dim; i++) grad[layout.embedding.offset() + inputs[t] * dim + i] += dx[t][i];
        }
        return loss;
    }

    private static double[] row(double[] w, Parameters.Tensor t, int r) {
        double[] out = new double[t.cols()];
        System.arraycopy(w, t.offset() + r * t.cols(), out, 0, t.cols());
        return out;
    }

    private static double[] vector(double[] w, Parameters.Tensor t) {
        return row(w, t, 0);
    }

    private static double[][] matrix(double[] w, Parameters.Tensor t) {
        double[][] m = new double[t.rows()][];
        for (int r = 0; r < t.rows(); r++) m[r] = row(w, t, r);
        return m;
    }

    private static double[][] zeros(Parameters.Tensor t) {
        return new double[t.rows()][t.cols()];
    }

    private static void addMatrix(double[] grad, Parameters.Tensor t, double[][] d) {
        for (int r = 0; r < t.rows(); r++) {
            for (int i = 0; i < t.cols(); i++) grad[t.offset() + r * t.cols() + i] += d[r][i];
        }
    }

    private static void addVector(double[] grad, Parameters.Tensor t, double[] d) {
        for (int i = 0; i < d.length; i++) grad[t.offset() + i] += d[i];
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) for (int i = 0; i < a[t].length; i++) y[t][i] = a[t][i] + b[t][i];
        return y;
    }
}
