import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { TPESampler } from '../../src/samplers/index.js';
import type { TPESamplerOptions } from '../../src/samplers/index.js';

const isConfigError = (field: string) => (e: unknown) => e instanceof ConfigError && e.message.includes(field);

test('bad bandwidth, magic clip and weighting options fail with a ConfigError naming the option', () => {
  assert.throws(() => new TPESampler({ bandwidth: 'silverman' } as unknown as TPESamplerOptions), isConfigError('TPESampler.bandwidth'));
  assert.throws(() => new TPESampler({ minBandwidthFactor: 0 }), isConfigError('TPESampler.minBandwidthFactor'));
  assert.throws(() => new TPESampler({ magicClipExponent: Number.NaN }), isConfigError('TPESampler.magicClipExponent'));
  assert.throws(() => new TPESampler({ goodWeighting: 'rank' } as unknown as TPESamplerOptions), isConfigError('TPESampler.goodWeighting'));
});
