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
    cllm: {
      metric: 'val_loss', // nats per token on fixed validation windows (bits per char = val_loss / ln 2)
      direction: 'minimize',
      tuning: { trials: 12, epochs: 2, batchCap: 50, seed: 42 },
      full: { epochs: 10 },
      space: {
        n_layer: int(1, 4),
        n_head: categorical([2, 4]),
        n_embd: categorical([64, 128]),
        block_size: categorical([32, 64]),
        dropout: float(0, 0.2),
        learning_rate: float(3e-4, 3e-3, { log: true }),
        weight_decay: float(0.01, 0.2, { log: true }),
        batch_size: categorical([8, 12, 16]),
      },
    },
  },
});
