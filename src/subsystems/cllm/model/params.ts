import type * as tf from '@tensorflow/tfjs-core';
import { VariableFactory } from '../../../ml/layers/init.js';
import type { GptConfig, ParamGroup } from './config.js';

type V1 = tf.Variable<tf.Rank.R1>;
type V2 = tf.Variable<tf.Rank.R2>;

/** One transformer block's variables. */
export interface BlockParams {
  readonly ln1Gain: V1;
  readonly ln1Bias: V1;
  /** Q, K and V projections side by side: [C, 3C]. */
  readonly wQkv: V2;
  readonly bQkv: V1;
  readonly wProj: V2;
  readonly bProj: V1;
  readonly ln2Gain: V1;
  readonly ln2Bias: V1;
  readonly wFc: V2;
  readonly bFc: V1;
  readonly wOut: V2;
  readonly bOut: V1;
}

export interface GptParams {
  /** Token embedding [V, C], also the output head (tied, as GPT-2 and nanoGPT do). */
  readonly wte: V2;
  /** Position embedding [blockSize, C]. */
  readonly wpe: V2;
  readonly blocks: readonly BlockParams[];
  readonly lnfGain: V1;
  readonly lnfBias: V1;
  readonly all: readonly tf.Variable[];
  /** Each variable's diagnostic group. */
  readonly groups: ReadonlyMap<tf.Variable, ParamGroup>;
}

/** The init std of GPT-2 (Radford et al. 2019): 0.02, and 0.02/√(2·n_layer) on the two residual projections. */
export const INIT_STD = 0.02;

/**
 * Draws a GPT's variables from `seed`: normal(0, 0.02) weights and embeddings, residual projections scaled by
 * 1/√(2·n_layer) so the residual stream's variance does not grow with depth, zero biases, unit norm gains.
 */
export function createGptParams(c: GptConfig, seed: number): GptParams {
  const f = new VariableFactory(seed, { prefix: 'cllm', stream: 1 });
  const groups = new Map<tf.Variable, ParamGroup>();
  const inGroup = <V extends tf.Variable>(g: ParamGroup, v: tf.Variable): V => (groups.set(v, g), v as V);
  const C = c.nEmbd;
  const residualStd = INIT_STD / Math.sqrt(2 * c.nLayer);
  const wte = inGroup<V2>('embedding', f.normal('wte', [c.vocabSize, C], INIT_STD));
  const wpe = inGroup<V2>('embedding', f.normal('wpe', [c.blockSize, C], INIT_STD));
  const blocks = Array.from({ length: c.nLayer }, (_, l): BlockParams => ({
    ln1Gain: inGroup<V1>('layernorm', f.constant(`h${l}/ln1_g`, C, 1)),
    ln1Bias: inGroup<V1>('layernorm', f.constant(`h${l}/ln1_b`, C, 0)),
    wQkv: inGroup<V2>('attention', f.normal(`h${l}/attn_qkv_w`, [C, 3 * C], INIT_STD)),
    bQkv: inGroup<V1>('attention', f.constant(`h${l}/attn_qkv_b`, 3 * C, 0)),
    wProj: inGroup<V2>('attention', f.normal(`h${l}/attn_proj_w`, [C, C], residualStd)),
    bProj: inGroup<V1>('attention', f.constant(`h${l}/attn_proj_b`, C, 0)),
    ln2Gain: inGroup<V1>('layernorm', f.constant(`h${l}/ln2_g`, C, 1)),
    ln2Bias: inGroup<V1>('layernorm', f.constant(`h${l}/ln2_b`, C, 0)),
    wFc: inGroup<V2>('mlp', f.normal(`h${l}/mlp_fc_w`, [C, 4 * C], INIT_STD)),
    bFc: inGroup<V1>('mlp', f.constant(`h${l}/mlp_fc_b`, 4 * C, 0)),
    wOut: inGroup<V2>('mlp', f.normal(`h${l}/mlp_proj_w`, [4 * C, C], residualStd)),
    bOut: inGroup<V1>('mlp', f.constant(`h${l}/mlp_proj_b`, C, 0)),
  }));
  const lnfGain = inGroup<V1>('layernorm', f.constant('lnf_g', C, 1));
  const lnfBias = inGroup<V1>('layernorm', f.constant('lnf_b', C, 0));
  return { wte, wpe, blocks, lnfGain, lnfBias, all: f.all, groups };
}
