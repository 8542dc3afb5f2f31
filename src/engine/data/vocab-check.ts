// Token ids must index an Embedding's table: ORT would fail mid-run on an id past its end, so a
// run checks the data's vocabulary against every Embedding that reads the token input first.
import type { LayerInfo } from '../../analysis/types';
import type { Dataset } from './types';

export interface VocabularyProblem {
  layer: string;
  message: string;
}

/** The first Embedding fed straight from `inputLayer` whose vocab_size is below the data's vocabulary. */
export function embeddingVocabularyProblem(data: Pick<Dataset, 'name' | 'vocabSize' | 'vocabulary'>, inputLayer: string, layers: readonly LayerInfo[]): VocabularyProblem | undefined {
  const needed = data.vocabSize;
  if (needed === undefined) return undefined;
  for (const l of layers) {
    if (l.kind !== 'Embedding' || l.spec.inputs[0]?.id !== inputLayer) continue;
    const size = l.attrs.vocab_size;
    if (typeof size !== 'number' || size >= needed) continue;
    const cap = data.vocabulary ? `, or cap the text's vocabulary with data vocab_size: ${size}` : '';
    return {
      layer: l.spec.id,
      message: `Embedding '${l.spec.id}' has vocab_size ${size} but data '${data.name}' has token ids up to ${needed - 1}; set vocab_size: ${needed}${cap}`,
    };
  }
  return undefined;
}
