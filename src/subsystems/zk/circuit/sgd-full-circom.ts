/**
 * Full-SGD steps (every weight moves) of linear and logistic regression, as Circom 2 source (included with
 * sgd_common.circom). sgd-reference.ts is the same arithmetic in BigInt; a test checks the two bit for bit.
 *
 * Linear: loss ½·mean((w·x + b − y)²), residual e = z − y. Logistic: loss mean cross-entropy of σ̂(z), whose gradient
 * has the same form with e = σ̂(z) − y. σ̂ is the clamped cubic
 *     σ̂(z) = ½ + z/4 − z³/108 on [−3, 3], 0 below, 1 above,
 * the cubic with σ̂(0) = ½ and σ̂'(0) = ¼ (the sigmoid's own) that reaches 0 and 1 with zero slope at ±3: monotone,
 * inside [0, 1], within 0.057 of the sigmoid everywhere (max near |z| = 2.5). In fixed point:
 *     s = 2^(F−1) + floor(zc/4) − floor(C3·floor(floor(zc²/2^F)·zc/2^F)/2^F),  C3 = round(2^F/108),
 * with zc = z clamped to [−3·2^F, 3·2^F] by two comparisons.
 */
export const SGD_FULL_CIRCOM = String.raw`pragma circom 2.0.0;

include "sgd_common.circom";

// The clamped cubic sigmoid at scale 2^F of a score z in [-2^MZ, 2^MZ).
template SigmoidCubic(F, MZ) {
    signal input z;
    signal output s;
    var L = 3 * (1 << F);
    var OFF = 1 << MZ;
    var C3 = ((1 << F) + 54) \ 108;
    component above = LessThan(MZ + 2);
    above.in[0] <== L + OFF;
    above.in[1] <== z + OFF;
    component below = LessThan(MZ + 2);
    below.in[0] <== z + OFF;
    below.in[1] <== OFF - L;
    signal hiPart;
    signal loPart;
    hiPart <== above.out * (L - z);
    loPart <== below.out * (0 - L - z);
    signal zc;
    zc <== z + hiPart + loPart;
    signal zz;
    zz <== zc * zc;
    component z2 = SignedShift(F, 2 * F + 4);
    z2.v <== zz;
    signal zzz;
    zzz <== z2.q * zc;
    component z3 = SignedShift(F, 2 * F + 5);
    z3.v <== zzz;
    component quarter = SignedShift(2, F + 2);
    quarter.v <== zc;
    component cube = SignedShift(F, 2 * F);
    cube.v <== C3 * z3.q;
    s <== (1 << (F - 1)) + quarter.q - cube.q;
}

// One full-batch SGD step on B = 2^LB rows of D features. LOGISTIC = 1: the residual is sigmoid(z) - y.
template SgdFullStep(D, LB, F, VB, LOGISTIC) {
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

    component batch = CommittedBatch(D, B, VB);
    batch.cBatch <== cBatch;
    batch.lr <== lr;
    batch.x <== x;
    batch.y <== y;
    component weights = CommittedUpdate(D + 1, VB);
    weights.cOld <== cOld;
    weights.cNew <== cNew;
    weights.old <== w;
    weights.next <== wNew;
    weights.saltOld <== saltOld;
    weights.saltNew <== saltNew;

    component score = LinearScores(D, B, F, M1);
    score.w <== w;
    score.x <== x;
    signal e[B];
    component sigmoid[B];
    for (var i = 0; i < B; i++) {
        if (LOGISTIC == 1) {
            sigmoid[i] = SigmoidCubic(F, M1 - F);
            sigmoid[i].z <== score.z[i];
            e[i] <== sigmoid[i].s - y[i];
        } else {
            e[i] <== score.z[i] - y[i];
        }
    }
    component sgd = GradientStep(D, LB, F, M2, M3);
    sgd.e <== e;
    sgd.x <== x;
    sgd.w <== w;
    sgd.lr <== lr;
    for (var j = 0; j <= D; j++) {
        wNew[j] === sgd.wNew[j];
    }
}
`;
