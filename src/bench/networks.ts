// The benchmark's networks as model-file text, so they go through exactly the path a user's
// model takes (parse → analyse → compile). The PyTorch peer builds the identical networks.

export interface BenchNetwork {
  /** Name shared with src/bench/torch_peer.py. */
  id: 'mlp' | 'cnn' | 'lstm' | 'transformer';
  title: string;
  batch: number;
  text: string;
  /** Token-id input [steps]: ids drawn from 0 .. vocab-1 (int64) instead of floats in [-1, 1]. */
  sequence?: { vocab: number; steps: number };
}

const training = (batch: number) => `loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.001}
training: {epochs: 1, batch_size: ${batch}, seed: 1}
`;

export const mlp: BenchNetwork = {
  id: 'mlp',
  title: 'MLP 784-256-128-10, batch 128',
  batch: 128,
  text: `name: bench-mlp
layers:
  - {id: image, type: Input, shape: [1, 28, 28]}
  - Flatten
  - {type: Dense, units: 256, activation: relu}
  - {type: Dense, units: 128, activation: relu}
  - {id: logits, type: Dense, units: 10}
${training(128)}`,
};

export const cnn: BenchNetwork = {
  id: 'cnn',
  title: 'LeNet-style CNN on 28x28, batch 64',
  batch: 64,
  text: `name: bench-cnn
layers:
  - {id: image, type: Input, shape: [1, 28, 28]}
  - {type: Conv2D, filters: 6, kernel_size: 5, padding: 2, activation: relu}
  - {type: MaxPool2D, pool_size: 2}
  - {type: Conv2D, filters: 16, kernel_size: 5, activation: relu}
  - {type: MaxPool2D, pool_size: 2}
  - Flatten
  - {type: Dense, units: 120, activation: relu}
  - {type: Dense, units: 84, activation: relu}
  - {id: logits, type: Dense, units: 10}
${training(64)}`,
};

/** Sequence networks: 32 tokens from a vocabulary of 64, ten classes. */
const SEQ = { steps: 32, vocab: 64 } as const;

export const lstm: BenchNetwork = {
  id: 'lstm',
  title: `LSTM (embedding 32, 64 units) over ${SEQ.steps} tokens, batch 64`,
  batch: 64,
  sequence: SEQ,
  text: `name: bench-lstm
layers:
  - {id: tokens, type: Input, shape: [${SEQ.steps}], dtype: int64}
  - {type: Embedding, vocab_size: ${SEQ.vocab}, dim: 32}
  - {type: LSTM, units: 64}
  - {id: logits, type: Dense, units: 10}
${training(64)}`,
};

export const transformer: BenchNetwork = {
  id: 'transformer',
  title: `2-block Transformer (d 64, 4 heads, ff 128, causal) over ${SEQ.steps} tokens, batch 64`,
  batch: 64,
  sequence: SEQ,
  text: `name: bench-transformer
layers:
  - {id: tokens, type: Input, shape: [${SEQ.steps}], dtype: int64}
  - {type: Embedding, vocab_size: ${SEQ.vocab}, dim: 64}
  - {type: PositionalEmbedding, max_length: ${SEQ.steps}, mode: learned}
  - {type: TransformerEncoderBlock, heads: 4, ff_dim: 128, dropout: 0.0, causal: true}
  - {type: TransformerEncoderBlock, heads: 4, ff_dim: 128, dropout: 0.0, causal: true}
  - LayerNorm
  - LastTokenPool
  - {id: logits, type: Dense, units: 10}
${training(64)}`,
};

/** A deep, varied model for the validation-speed row: `layers` layers in residual blocks. */
export function generatedModel(layers: number): string {
  const lines = ['name: generated', 'layers:', '  - {id: x, type: Input, shape: [3, 32, 32]}', '  - {id: stem, type: Conv2D, filters: 16, kernel_size: 3, padding: same, activation: relu}'];
  let count = 2;
  let prev = 'stem';
  let block = 0;
  while (count + 4 <= layers - 3) {
    block++;
    lines.push(
      `  - {id: b${block}_conv, type: Conv2D, inputs: [${prev}], filters: 16, kernel_size: 3, padding: same}`,
      `  - {id: b${block}_bn, type: BatchNorm}`,
      `  - {id: b${block}_act, type: ReLU}`,
      `  - {id: b${block}_add, type: Add, inputs: [b${block}_act, ${prev}]}`,
    );
    prev = `b${block}_add`;
    count += 4;
  }
  while (count < layers - 3) {
    lines.push(`  - {id: extra_${count}, type: ReLU}`);
    count++;
  }
  lines.push('  - {id: gap, type: GlobalAvgPool2D}', '  - Flatten', '  - {id: logits, type: Dense, units: 10}');
  return lines.join('\n') + '\nloss: cross_entropy\n';
}
