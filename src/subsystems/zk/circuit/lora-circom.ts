/**
 * A LoRA step of linear regression, as Circom 2 source (included with sgd_common.circom): the base weights w0 (bias
 * last) are frozen and committed once (the public cBase, the same in every step of a run); only the rank-R adapters
 * move — A (R×D, LoRA's down-projection) and c (R, LoRA's up-projection, starting at zero so the first model is the
 * base). The model is z = floor((w0·x + c·u + b0·2^F) / 2^F) with u_k = floor(A_k·x / 2^F). Loss ½·mean((z − y)²):
 *     ∂/∂c_k = mean_i e_i·u_ik,   ∂/∂A_kj = c_k·mean_i e_i·x_ij,
 * each at scale 2^F by floor division, and θ ← θ − floor(lr·∂θ / 2^F) for θ = (A, c). lora-reference.ts is the same
 * arithmetic in BigInt. Bit widths: MU bounds A·x, M1 the score sum, M2 Σ e·x, MC Σ e·u, MA c·G, and the two updates.
 */
export const LORA_CIRCOM = String.raw`pragma circom 2.0.0;

include "sgd_common.circom";

template LoraStep(D, R, LB, F, VB) {
    var B = 1 << LB;
    var MU = 2 * VB + ceilLog2(D);
    var M1 = 2 * VB + 8 + ceilLog2(D) + ceilLog2(D + R + 1);
    var M2 = M1 - F + 1 + VB + LB;
    var MC = M1 - F + 1 + MU - F + LB;
    var MA = VB + M2 - F - LB;
    var N = R * D + R;

    signal input cOld;
    signal input cNew;
    signal input cBatch;
    signal input lr;
    signal input cBase;

    signal input base[D + 1];
    signal input saltBase;
    signal input theta[N];
    signal input thetaNew[N];
    signal input saltOld;
    signal input saltNew;
    signal input x[B][D];
    signal input y[B];

    component batch = CommittedBatch(D, B, VB);
    batch.cBatch <== cBatch;
    batch.lr <== lr;
    batch.x <== x;
    batch.y <== y;
    component adapters = CommittedUpdate(N, VB);
    adapters.cOld <== cOld;
    adapters.cNew <== cNew;
    adapters.old <== theta;
    adapters.next <== thetaNew;
    adapters.saltOld <== saltOld;
    adapters.saltNew <== saltNew;
    component rangeBase = RangeAll(D + 1, VB);
    rangeBase.v <== base;
    component hBase = Commit(D + 1);
    hBase.v <== base;
    hBase.salt <== saltBase;
    cBase === hBase.out;

    // theta = (A row-major, then c).
    signal ax[B][R][D];
    component u[B][R];
    signal cu[B][R];
    signal bx[B][D];
    component pred[B];
    signal e[B];
    for (var i = 0; i < B; i++) {
        var acc = base[D] * (1 << F);
        for (var j = 0; j < D; j++) {
            bx[i][j] <== base[j] * x[i][j];
            acc += bx[i][j];
        }
        for (var k = 0; k < R; k++) {
            var p = 0;
            for (var j = 0; j < D; j++) {
                ax[i][k][j] <== theta[k * D + j] * x[i][j];
                p += ax[i][k][j];
            }
            u[i][k] = SignedShift(F, MU);
            u[i][k].v <== p;
            cu[i][k] <== theta[R * D + k] * u[i][k].q;
            acc += cu[i][k];
        }
        pred[i] = SignedShift(F, M1);
        pred[i].v <== acc;
        e[i] <== pred[i].q - y[i];
    }

    // G_j = floor(sum_i e_i x_ij / 2^(F+LB)); gc_k = floor(sum_i e_i u_ik / 2^(F+LB)).
    signal ex[B][D];
    component g[D];
    for (var j = 0; j < D; j++) {
        var s = 0;
        for (var i = 0; i < B; i++) {
            ex[i][j] <== e[i] * x[i][j];
            s += ex[i][j];
        }
        g[j] = SignedShift(F + LB, M2);
        g[j].v <== s;
    }
    signal eu[B][R];
    component gc[R];
    signal upC[R];
    component stepC[R];
    signal ca[R][D];
    component gA[R][D];
    signal upA[R][D];
    component stepA[R][D];
    for (var k = 0; k < R; k++) {
        var s = 0;
        for (var i = 0; i < B; i++) {
            eu[i][k] <== e[i] * u[i][k].q;
            s += eu[i][k];
        }
        gc[k] = SignedShift(F + LB, MC);
        gc[k].v <== s;
        upC[k] <== lr * gc[k].q;
        stepC[k] = SignedShift(F, VB + MC - F - LB);
        stepC[k].v <== upC[k];
        thetaNew[R * D + k] === theta[R * D + k] - stepC[k].q;
        for (var j = 0; j < D; j++) {
            ca[k][j] <== theta[R * D + k] * g[j].q;
            gA[k][j] = SignedShift(F, MA);
            gA[k][j].v <== ca[k][j];
            upA[k][j] <== lr * gA[k][j].q;
            stepA[k][j] = SignedShift(F, VB + MA - F);
            stepA[k][j].v <== upA[k][j];
            thetaNew[k * D + j] === theta[k * D + j] - stepA[k][j].q;
        }
    }
}
`;
