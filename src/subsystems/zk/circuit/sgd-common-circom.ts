/**
 * The Circom 2 templates every step circuit shares, as source text. It lives in a TypeScript module (not a loose
 * `.circom` file) because only `dist/src` ships: compile.ts writes it out as `sgd_common.circom` beside the step's
 * own template and a generated `main.circom`, and compiles them with circom2. The SHA-256 of every source a circuit
 * includes is part of its cache key, so editing this text recompiles.
 *
 * Fixed point: a real r is the integer round(r·2^F). Every weight, feature, target and the learning rate lies in
 * [-2^VB, 2^VB) (range-checked). Each product is rescaled by floor division by a power of two, proved with a
 * range-checked quotient and remainder ("signed rescaling", SignedShift).
 */
export const SGD_COMMON_CIRCOM = String.raw`pragma circom 2.0.0;

include "poseidon.circom";
include "bitify.circom";
include "comparators.circom";

// v in [-2^M, 2^M): proved by the bits of v + 2^M.
template SignedRange(M) {
    signal input v;
    component bits = Num2Bits(M + 1);
    bits.in <== v + (1 << M);
}

// q = floor(v / 2^K) for v in [-2^M, 2^M), with 0 <= r < 2^K; also range-checks v.
template SignedShift(K, M) {
    signal input v;
    signal output q;
    signal hi;
    signal lo;
    var shifted = v + (1 << M);
    hi <-- shifted >> K;
    lo <-- shifted & ((1 << K) - 1);
    shifted === hi * (1 << K) + lo;
    component loBits = Num2Bits(K);
    loBits.in <== lo;
    component hiBits = Num2Bits(M + 1 - K);
    hiBits.in <== hi;
    q <== hi - (1 << (M - K));
}

function ceilLog2(n) {
    var r = 0;
    while ((1 << r) < n) { r++; }
    return r;
}

// N values, each in [-2^VB, 2^VB).
template RangeAll(N, VB) {
    signal input v[N];
    component r[N];
    for (var k = 0; k < N; k++) {
        r[k] = SignedRange(VB);
        r[k].v <== v[k];
    }
}

// Linear scores z_i = floor((sum_j w_j x_ij + b 2^F) / 2^F) of B rows (bias w[D] last); sums lie in [-2^M1, 2^M1).
template LinearScores(D, B, F, M1) {
    signal input w[D + 1];
    signal input x[B][D];
    signal output z[B];
    signal prod[B][D];
    component pred[B];
    for (var i = 0; i < B; i++) {
        var acc = w[D] * (1 << F);
        for (var j = 0; j < D; j++) {
            prod[i][j] <== w[j] * x[i][j];
            acc += prod[i][j];
        }
        pred[i] = SignedShift(F, M1);
        pred[i].v <== acc;
        z[i] <== pred[i].q;
    }
}

// One gradient step from residuals e_i: grad_j = floor(sum_i e_i x_ij / 2^(F + LB)), the bias's floor(sum_i e_i / 2^LB)
// (the mean gradient at scale 2^F), and wNew_j = w_j - floor(lr grad_j / 2^F). Sums lie in [-2^M2, 2^M2), updates in
// [-2^M3, 2^M3).
template GradientStep(D, LB, F, M2, M3) {
    var B = 1 << LB;
    signal input e[B];
    signal input x[B][D];
    signal input w[D + 1];
    signal input lr;
    signal output wNew[D + 1];
    signal ex[B][D];
    component grad[D + 1];
    component step[D + 1];
    signal update[D + 1];
    for (var j = 0; j <= D; j++) {
        var g = 0;
        for (var i = 0; i < B; i++) {
            if (j < D) {
                ex[i][j] <== e[i] * x[i][j];
                g += ex[i][j];
            } else {
                g += e[i] * (1 << F);
            }
        }
        grad[j] = SignedShift(F + LB, M2);
        grad[j].v <== g;
        update[j] <== lr * grad[j].q;
        step[j] = SignedShift(F, M3);
        step[j].v <== update[j];
        wNew[j] <== w[j] - step[j].q;
    }
}

// Poseidon(v_0 ... v_(N-1), salt): a hiding commitment to N parameters (N + 1 <= 16).
template Commit(N) {
    signal input v[N];
    signal input salt;
    signal output out;
    component h = Poseidon(N + 1);
    for (var k = 0; k < N; k++) {
        h.inputs[k] <== v[k];
    }
    h.inputs[N] <== salt;
    out <== h.out;
}

// The batch chain h_i = Poseidon(h_(i-1), x_i, y_i), h_0 = 0.
template BatchChain(B, D) {
    signal input x[B][D];
    signal input y[B];
    signal output out;
    component rows[B];
    for (var i = 0; i < B; i++) {
        rows[i] = Poseidon(D + 2);
        rows[i].inputs[0] <== i == 0 ? 0 : rows[i - 1].out;
        for (var j = 0; j < D; j++) {
            rows[i].inputs[j + 1] <== x[i][j];
        }
        rows[i].inputs[D + 1] <== y[i];
    }
    out <== rows[B - 1].out;
}

// The batch and learning rate in range, and the batch's commitment equal to the public cBatch.
template CommittedBatch(D, B, VB) {
    signal input cBatch;
    signal input lr;
    signal input x[B][D];
    signal input y[B];
    component rangeLr = SignedRange(VB);
    rangeLr.v <== lr;
    component rangeX = RangeAll(B * D, VB);
    component rangeY = RangeAll(B, VB);
    for (var i = 0; i < B; i++) {
        for (var j = 0; j < D; j++) {
            rangeX.v[i * D + j] <== x[i][j];
        }
        rangeY.v[i] <== y[i];
    }
    component chain = BatchChain(B, D);
    chain.x <== x;
    chain.y <== y;
    cBatch === chain.out;
}

// Old and new parameters (N of them) in range, committed as the public cOld and cNew.
template CommittedUpdate(N, VB) {
    signal input cOld;
    signal input cNew;
    signal input old[N];
    signal input next[N];
    signal input saltOld;
    signal input saltNew;
    component rangeOld = RangeAll(N, VB);
    rangeOld.v <== old;
    component rangeNew = RangeAll(N, VB);
    rangeNew.v <== next;
    component hOld = Commit(N);
    hOld.v <== old;
    hOld.salt <== saltOld;
    cOld === hOld.out;
    component hNew = Commit(N);
    hNew.v <== next;
    hNew.salt <== saltNew;
    cNew === hNew.out;
}
`;
