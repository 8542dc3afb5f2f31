// Every layer kind the compiler can lower, keyed by kind. A new family adds its file here.
import type { Lowering } from './context';
import { inputLowerings } from './input';
import { denseLowerings } from './dense';
import { convLowerings } from './conv';
import { poolLowerings } from './pool';
import { reshapeLowerings } from './reshape';
import { dropoutLowerings } from './dropout';
import { normLowerings } from './norm';
import { mergeLowerings } from './merge';
import { activationLowerings } from './activation';
import { embeddingLowerings } from './embedding';
import { layerNormLowerings } from './layer-norm';
import { sequencePoolLowerings } from './sequence-pool';
import { timeDistributedLowerings } from './time-distributed';
import { recurrentLowerings } from './recurrent';
import { attentionLowerings } from './attention';

const lowerings: Record<string, Lowering> = {
  ...inputLowerings,
  ...denseLowerings,
  ...convLowerings,
  ...poolLowerings,
  ...reshapeLowerings,
  ...dropoutLowerings,
  ...normLowerings,
  ...mergeLowerings,
  ...activationLowerings,
  ...embeddingLowerings,
  ...layerNormLowerings,
  ...sequencePoolLowerings,
  ...timeDistributedLowerings,
  ...recurrentLowerings,
  ...attentionLowerings,
};

/** The lowering of a layer kind, or undefined when the compiler does not support it yet. */
export function loweringFor(kind: string): Lowering | undefined {
  return Object.prototype.hasOwnProperty.call(lowerings, kind) ? lowerings[kind] : undefined;
}

export function supportedKinds(): string[] {
  return Object.keys(lowerings);
}
