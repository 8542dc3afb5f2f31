// The model line a training warning belongs on: the layer's first line, or a section key.
import type { ModelInfo } from './modelInfo';
import type { WarningAnchor } from './trainingSession';

/** 0-based line, or undefined when the file has no such layer or section. */
export function anchorLineOf(info: ModelInfo, anchor: WarningAnchor | undefined): number | undefined {
  if (!anchor) return undefined;
  if ('layer' in anchor) return info.layerLines.get(anchor.layer);
  return (anchor.key ? info.sectionLines.get(`${anchor.section}.${anchor.key}`) : undefined) ?? info.sectionLines.get(anchor.section);
}
