/** The sampler names `--sampler` and `tuning.config.ts` accept; `makeSampler` builds each. Loads nothing. */
export const SAMPLER_NAMES = ['tpe', 'gp', 'auto', 'random', 'qmc', 'grid'] as const;

export type SamplerName = (typeof SAMPLER_NAMES)[number];

export function isSamplerName(x: unknown): x is SamplerName {
  return typeof x === 'string' && (SAMPLER_NAMES as readonly string[]).includes(x);
}
