/** The shape of a GPT: what the variables and the forward pass are built from. */
export interface GptConfig {
  readonly vocabSize: number;
  readonly blockSize: number;
  readonly nLayer: number;
  readonly nHead: number;
  readonly nEmbd: number;
  readonly dropout: number;
}

/** The parameter groups diagnostics report on; every variable belongs to exactly one. */
export const PARAM_GROUPS = ['embedding', 'attention', 'mlp', 'layernorm'] as const;
export type ParamGroup = (typeof PARAM_GROUPS)[number];
