// parzen's tuning configuration: search spaces, objectives and fidelity budgets per subsystem.
// `npx tune --trials 12` tunes the default subsystem (the first listed) on the store below.
import { categorical, defineConfig, float, int } from 'parzen';

export default defineConfig({
  storage: 'sqlite:studies/tuning.db',
  subsystems: {
    optimizer: {
      metric: 'val_loss',
      direction: 'minimize',
      tuning: { trials: 12, epochs: 2, batchCap: 50, seed: 42 },
      full: { epochs: 20 },
      space: {
        hidden_dim: categorical([128, 256, 384]),
        num_layers: int(3, 8),
        num_heads: categorical([4, 8]),
        dropout: float(0.05, 0.3),
        learning_rate: float(1e-5, 5e-4, { log: true }),
      },
    },
    // Every SGD step is proved (Groth16): a trial proves epochs × batchCap steps, so the budget is the proving cost.
    zk: {
      metric: 'val_loss',
      direction: 'minimize',
      tuning: { trials: 12, epochs: 2, batchCap: 8, seed: 42 },
      full: { epochs: 2 },
      space: {
        learning_rate: float(0.05, 1, { log: true }),
        batch_size: categorical([2, 4]),
        frac_bits: categorical([12, 16]),
        steps: categorical([4, 8]),
      },
    },
  },
});
