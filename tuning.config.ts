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
    // Logistic regression or a one-hidden-layer square-activation network (hidden_width units) on CKKS-encrypted
    // data (node-seal). An epoch is `iterations` Nesterov steps; the ring (poly_modulus_degree) and scale_bits set the
    // levels (16384 at 32 bits: 11, enough for the network with a degree-7 sigmoid; 32768's keys do not fit the
    // 4 GiB WebAssembly heap).
    fhe: {
      // Or metric 'val_auc', direction 'maximize', with full: { tuning_metric: 'val_auc' } (the objective returns it).
      metric: 'val_log_loss',
      direction: 'minimize',
      tuning: { trials: 12, epochs: 2, seed: 42 },
      full: { epochs: 4 },
      space: {
        model: categorical(['logistic', 'poly-network']),
        hidden_width: categorical([2]),
        learning_rate: float(0.4, 1.2, { log: true }),
        lr_schedule: categorical(['decay', 'constant']),
        iterations: int(2, 4),
        sigmoid_degree: categorical([3, 5, 7]),
        sigmoid_bound: float(8, 12),
        feature_scale: categorical([0.2, 0.3]),
        poly_modulus_degree: categorical([16384]),
        scale_bits: categorical([30, 32]),
      },
    },
    // Every SGD step is proved (Groth16): a trial proves epochs × batchCap steps, so the budget is the proving cost.
    zk: {
      metric: 'val_loss',
      direction: 'minimize',
      tuning: { trials: 12, epochs: 2, batchCap: 8, seed: 42 },
      full: { epochs: 2 },
      space: {
        model: categorical(['linear', 'logistic', 'lora-1']),
        learning_rate: float(0.05, 1, { log: true }),
        batch_size: categorical([2, 4]),
        frac_bits: categorical([12, 16]),
        steps: categorical([4, 8]),
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
    // Dense retriever on Moby Dick passages (inverse-cloze queries) or your --documents/--beir/--pairs data. The metric
    // is validation MRR@10 of exact dense search; `tune train` ends with dense, untrained encoder, BM25 and hybrid
    // (RRF weighted by validation) figures on the test queries. The space keeps the encoder a bag of embeddings
    // (encoder_layers 0): in session 21's study a 128-wide convolution layer made a trial up to ~15× slower, which
    // the 30-minute study cannot afford. freeze_base: true trains the head alone; give base_checkpoint (a run folder)
    // in the baseline config to start from an earlier run's encoder.
    retrieval: {
      metric: 'val_mrr_at_10',
      direction: 'maximize',
      tuning: { trials: 12, epochs: 3, batchCap: 60, seed: 42 },
      full: { epochs: 6 },
      space: {
        output_dim: categorical([128, 256]),
        embed_dim: categorical([128, 256]),
        encoder_layers: categorical([0]),
        subword_buckets: categorical([8192, 32768]),
        temperature: float(0.03, 0.3, { log: true }),
        isotropy_weight: float(0.01, 0.3, { log: true }),
        base_learning_rate: float(5e-4, 5e-3, { log: true }),
        projection_learning_rate: float(5e-4, 5e-3, { log: true }),
        batch_size: categorical([32, 64]),
        dropout: float(0, 0.2),
        freeze_base: categorical([false]),
      },
    },
  },
});
