// A generated model of any size for the graph editor's render benchmark: an Input, then residual
// blocks (Dense → Dense → Add with the block's input → LayerNorm), then a classifier head — a DAG
// with skip connections, so the layout has real work, written the way a person would write it.

export function generateGraphBenchModel(layerCount: number): string {
  const n = Math.max(2, Math.floor(layerCount));
  const lines = ['name: graph-bench', `description: ${n} layers of residual blocks for the graph editor benchmark.`, 'layers:'];
  lines.push('  - id: x', '    type: Input', '    shape: [64]');
  let made = 1;
  let previous = 'x';
  let block = 0;
  // Each block is 4 layers; the head (1 Dense) closes the model.
  while (made + 4 <= n - 1) {
    block++;
    const b = `b${block}`;
    lines.push(`  - id: ${b}_fc1`, '    type: Dense', '    units: 64', '    activation: relu');
    lines.push(`  - id: ${b}_fc2`, '    type: Dense', '    units: 64');
    lines.push(`  - id: ${b}_add`, '    type: Add', `    inputs: [${previous}, ${b}_fc2]`);
    lines.push(`  - id: ${b}_norm`, '    type: LayerNorm');
    previous = `${b}_norm`;
    made += 4;
  }
  while (made < n - 1) {
    lines.push(`  - id: extra_${made}`, '    type: ReLU');
    made++;
  }
  lines.push('  - id: logits', '    type: Dense', '    units: 3');
  lines.push('loss: cross_entropy', 'metrics: [accuracy]', 'data: {source: blobs}');
  return lines.join('\n') + '\n';
}
