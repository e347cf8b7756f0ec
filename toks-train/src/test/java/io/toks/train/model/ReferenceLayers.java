package io.toks.train.model;

/**
 * Plain double-precision forward and backward passes of each layer of the architecture, written
 * to be read rather than to be fast: the reference the gradient check differentiates numerically
 * and the float {@link Transformer} is compared with. Activations are {@code [rows][width]}.
 * Each backward takes the gradient of the layer's output and returns those of its inputs, adding
 * parameter gradients into the arrays it is given.
 */
final class ReferenceLayers {

    private ReferenceLayers() {}

    // RMSNorm: y = g * x / sqrt(mean(x^2) + eps)

    static double[][] rmsNorm(double[][] x, double[] g, double eps) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double r = inverseRms(x[t], eps);
            y[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) y[t][i] = g[i] * x[t][i] * r;
        }
        return y;
    }

    static double[][] rmsNormBackward(double[][] dy, double[][] x, double[] g, double eps, double[] dg) {
        double[][] dx = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int n = x[t].length;
            double r = inverseRms(x[t], eps), s = 0;
            for (int i = 0; i < n; i++) s += dy[t][i] * g[i] * x[t][i];
            dx[t] = new double[n];
            for (int i = 0; i < n; i++) {
                dx[t][i] = r * g[i] * dy[t][i] - x[t][i] * r * r * r * s / n;
                dg[i] += dy[t][i] * x[t][i] * r;
            }
        }
        return dx;
    }

    private static double inverseRms(double[] x, double eps) {
        double ss = 0;
        for (double v : x) ss += v * v;
        return 1 / Math.sqrt(ss / x.length + eps);
    }

    // Linear: y = x W^T, W rows = outputs

    static double[][] linear(double[][] x, double[][] w) {
        double[][] y = new double[x.length][w.length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < w.length; o++) {
                double s = 0;
                for (int i = 0; i < w[o].length; i++) s += x[t][i] * w[o][i];
                y[t][o] = s;
            }
        }
        return y;
    }

    static double[][] linearBackward(double[][] dy, double[][] x, double[][] w, double[][] dw) {
        double[][] dx = new double[x.length][w[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < w.length; o++) {
                for (int i = 0; i < w[o].length; i++) {
                    dx[t][i] += dy[t][o] * w[o][i];
                    dw[o][i] += dy[t][o] * x[t][i];
                }
            }
        }
        return dx;
    }

    // RoPE on adjacent pairs, the angle of pair i at position p = p * theta^(-2i/headSize)
    // (the frequency and the angle rounded to float, as the engine computes them).

    static double[][] rope(double[][] x, int headSize, int seq, double theta, boolean inverse) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int pos = t % seq;
            y[t] = x[t].clone();
            for (int base = 0; base < x[t].length; base += headSize) {
                for (int i = 0; i < headSize / 2; i++) {
                    float frequency = (float) (1.0 / Math.pow(theta, (2.0 * i) / headSize));
                    float angle = pos * frequency;
                    double c = Math.cos(angle), s = inverse ? -Math.sin(angle) : Math.sin(angle);
                    double v0 = x[t][base + 2 * i], v1 = x[t][base + 2 * i + 1];
                    y[t][base + 2 * i] = v0 * c - v1 * s;
                    y[t][base + 2 * i + 1] = v0 * s + v1 * c;
                }
            }
        }
        return y;
    }

    /** A rotation's gradient is the gradient rotated back. */
    static double[][] ropeBackward(double[][] dy, int headSize, int seq, double theta) {
        return rope(dy, headSize, seq, theta, true);
    }

    // Causal attention with grouped key/value heads, per sequence of seq rows.

    static double[][] attention(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int seq) {
        int hs = q[0].length / heads, group = heads / kvHeads;
        double scale = 1 / Math.sqrt(hs);
        double[][] out = new double[q.length][q[0].length];
        for (int b = 0; b < q.length / seq; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                for (int t = 0; t < seq; t++) {
                    double[] p = probabilities(q, k, b, seq, h, g, hs, t, scale);
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < hs; d++) out[b * seq + t][h * hs + d] += p[j] * v[b * seq + j][g * hs + d];
                    }
                }
            }
        }
        return out;
    }

    /** Returns {dq, dk, dv}. */
    static double[][][] attentionBackward(double[][] dOut, double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int seq) {
        int hs = q[0].length / heads, group = heads / kvHeads;
        double scale = 1 / Math.sqrt(hs);
        double[][] dq = new double[q.length][q[0].length], dk = new double[k.length][k[0].length], dv = new double[v.length][v[0].length];
        for (int b = 0; b < q.length / seq; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                for (int t = 0; t < seq; t++) {
                    int row = b * seq + t;
                    double[] p = probabilities(q, k, b, seq, h, g, hs, t, scale);
                    double[] dp = new double[t + 1];
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < hs; d++) {
                            dp[j] += dOut[row][h * hs + d] * v[b * seq + j][g * hs + d];
                            dv[b * seq + j][g * hs + d] += p[j] * dOut[row][h * hs + d];
                        }
                    }
                    double pDp = 0;
                    for (int j = 0; j <= t; j++) pDp += p[j] * dp[j];
                    for (int j = 0; j <= t; j++) {
                        double ds = p[j] * (dp[j] - pDp) * scale;
                        for (int d = 0; d < hs; d++) {
                            dq[row][h * hs + d] += ds * k[b * seq + j][g * hs + d];
                            dk[b * seq + j][g * hs + d] += ds * q[row][h * hs + d];
                        }
                    }
                }
            }
        }
        return new double[][][] {dq, dk, dv};
    }

    private static double[] probabilities(double[][] q, double[][] k, int b, int seq, int h, int g, int hs, int t, double scale) {
        double[] s = new double[t + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= t; j++) {
            for (int d = 0; d < hs; d++) s[j] += q[b * seq + t][h * hs + d] * k[b * seq + j][g * hs + d];
            s[j] *= scale;
            max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
        for (int j = 0; j <= t; j++) s[j] /= sum;
        return s;
    }

    // SwiGLU: silu(gate) * up

    static double[][] swiglu(double[][] gate, double[][] up) {
        double[][] y = new double[gate.length][gate[0].length];
        for (int t = 0; t < gate.length; t++) {
            for (int i = 0; i < gate[t].length; i++) y[t][i] = gate[t][i] * sigmoid(gate[t][i]) * up[t][i];
        }
        return y;
    }

    /** Returns {dgate, dup}. */
    static double[][][] swigluBackward(double[][] dy, double[][] gate, double[][] up) {
        double[][] dg = new double[gate.length][gate[0].length], du = new double[up.length][up[0].length];
        for (int t = 0; t < gate.length; t++) {
            for (int i = 0; i < gate[t].length; i++) {
                double x = gate[t][i], s = sigmoid(x);
                du[t][i] = dy[t][i] * x * s;
                dg[t][i] = dy[t][i] * up[t][i] * s * (1 + x * (1 - s));
            }
        }
        return new double[][][] {dg, du};
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    // Cross-entropy, mean over rows: loss = mean(logsumexp(z) - z[target])

    static double crossEntropy(double[][] logits, int[] targets) {
        double total = 0;
        for (int t = 0; t < logits.length; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits[t]) max = Math.max(max, z);
            double sum = 0;
            for (double z : logits[t]) sum += Math.exp(z - max);
            total += Math.log(sum) + max - logits[t][targets[t]];
        }
        return total / logits.length;
    }

    static double[][] crossEntropyBackward(double[][] logits, int[] targets) {
        int n = logits.length;
        double[][] d = new double[n][];
        for (int t = 0; t < n; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits[t]) max = Math.max(max, z);
            double sum = 0;
            for (double z : logits[t]) sum += Math.exp(z - max);
            d[t] = new double[logits[t].length];
            for (int i = 0; i < d[t].length; i++) d[t][i] = Math.exp(logits[t][i] - max) / sum / n;
            d[t][targets[t]] -= 1.0 / n;
        }
        return d;
    }
}
