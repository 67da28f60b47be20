/**
 * The statement of one full-batch SGD step of linear regression, as Circom 2 source. It lives in a TypeScript
 * module (not a loose `.circom` file) because only `dist/src` ships: artifacts.ts writes it out as
 * `sgd_linear.circom` beside a generated `main.circom` and compiles that with circom2. Its SHA-256 is part of every
 * artifact's cache key, so editing this text recompiles. sgd-reference.ts is the same arithmetic in BigInt; a test
 * checks the two bit for bit.
 *
 * Fixed point: a real r is the integer round(r·2^F). Every weight, feature, target and the learning rate lies in
 * [-2^VB, 2^VB) (range-checked). Loss ½·mean((w·x + b − y)²), so the step is w ← w − lr·mean(e·x), b ← b − lr·mean(e).
 * Each product is rescaled by floor division by a power of two, proved with a range-checked quotient and remainder.
 */
export const SGD_LINEAR_CIRCOM = String.raw`pragma circom 2.0.0;

include "poseidon.circom";
include "bitify.circom";

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

// One SGD step of linear regression on a batch of B rows of D features; LB = log2(B) (B is a power of two).
template SgdLinearStep(D, LB, F, VB) {
    var B = 1 << LB;
    var M1 = 2 * VB + ceilLog2(D + 1);
    var M2 = M1 - F + 1 + VB + LB;
    var M3 = VB + M2 - F - LB;

    signal input cOld;
    signal input cNew;
    signal input cBatch;
    signal input lr;

    signal input w[D + 1];
    signal input wNew[D + 1];
    signal input saltOld;
    signal input saltNew;
    signal input x[B][D];
    signal input y[B];

    component rangeLr = SignedRange(VB);
    rangeLr.v <== lr;
    component rangeW[D + 1];
    component rangeWNew[D + 1];
    for (var j = 0; j <= D; j++) {
        rangeW[j] = SignedRange(VB);
        rangeW[j].v <== w[j];
        rangeWNew[j] = SignedRange(VB);
        rangeWNew[j].v <== wNew[j];
    }
    component rangeX[B][D];
    component rangeY[B];
    for (var i = 0; i < B; i++) {
        for (var j = 0; j < D; j++) {
            rangeX[i][j] = SignedRange(VB);
            rangeX[i][j].v <== x[i][j];
        }
        rangeY[i] = SignedRange(VB);
        rangeY[i].v <== y[i];
    }

    // Forward pass: pred_i = floor((sum_j w_j x_ij + b 2^F) / 2^F); residual e_i = pred_i - y_i.
    signal prod[B][D];
    component pred[B];
    signal e[B];
    for (var i = 0; i < B; i++) {
        var acc = w[D] * (1 << F);
        for (var j = 0; j < D; j++) {
            prod[i][j] <== w[j] * x[i][j];
            acc += prod[i][j];
        }
        pred[i] = SignedShift(F, M1);
        pred[i].v <== acc;
        e[i] <== pred[i].q - y[i];
    }

    // Mean gradient at scale 2^F: floor(sum_i e_i x_ij / 2^(F + LB)); the bias's is floor(sum_i e_i / 2^LB).
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
        // Update: w_j - floor(lr * grad_j / 2^F).
        update[j] <== lr * grad[j].q;
        step[j] = SignedShift(F, M3);
        step[j].v <== update[j];
        wNew[j] === w[j] - step[j].q;
    }

    // Commitments: Poseidon(w, salt) for the weights; a chain h_i = Poseidon(h_(i-1), x_i, y_i), h_0 = 0, for the batch.
    component hashOld = Poseidon(D + 2);
    component hashNew = Poseidon(D + 2);
    for (var j = 0; j <= D; j++) {
        hashOld.inputs[j] <== w[j];
        hashNew.inputs[j] <== wNew[j];
    }
    hashOld.inputs[D + 1] <== saltOld;
    hashNew.inputs[D + 1] <== saltNew;
    cOld === hashOld.out;
    cNew === hashNew.out;

    component rows[B];
    for (var i = 0; i < B; i++) {
        rows[i] = Poseidon(D + 2);
        rows[i].inputs[0] <== i == 0 ? 0 : rows[i - 1].out;
        for (var j = 0; j < D; j++) {
            rows[i].inputs[j + 1] <== x[i][j];
        }
        rows[i].inputs[D + 1] <== y[i];
    }
    cBatch === rows[B - 1].out;
}
`;

/** The shape a circuit is compiled for. */
export interface CircuitShape {
  /** Features per row. */
  readonly d: number;
  /** Rows per step; a power of two. */
  readonly batch: number;
  /** Fractional bits F. */
  readonly fracBits: number;
}

/** Value bits VB: every fixed-point value lies in [-2^VB, 2^VB), i.e. |real| < 2^(VB − F) = 256. */
export function valueBits(shape: CircuitShape): number {
  return shape.fracBits + 8;
}

/** The main component for `shape`: public inputs are the three commitments and the learning rate. */
export function mainCircom(shape: CircuitShape): string {
  const lb = Math.log2(shape.batch);
  return `pragma circom 2.0.0;\n\ninclude "sgd_linear.circom";\n\ncomponent main {public [cOld, cNew, cBatch, lr]} = SgdLinearStep(${shape.d}, ${lb}, ${shape.fracBits}, ${valueBits(shape)});\n`;
}
