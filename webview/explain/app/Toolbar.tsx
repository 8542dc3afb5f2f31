// What to explain and how: the methods shown side by side, the class explained, the attributed
// output, the methods' settings and the heatmap's opacity.
import type { AttributionMethod, BaselineKind, ExplainIndexResult } from '../../../src/explain/types';
import { className } from '../logic/filter';
import { baselinesFor, METHOD_INFO, type MethodSettings } from '../logic/methods';

export interface ToolbarProps {
  index: ExplainIndexResult;
  methods: AttributionMethod[];
  onMethods: (m: AttributionMethod[]) => void;
  /** The class explained (undefined: the predicted one), and the one shown. */
  target: number | undefined;
  shownTarget: number | undefined;
  onTarget: (k: number | undefined) => void;
  settings: MethodSettings;
  onSettings: (s: MethodSettings) => void;
  opacity: number;
  onOpacity: (v: number) => void;
}

export function Toolbar(p: ToolbarProps) {
  const toggle = (m: AttributionMethod, on: boolean) => {
    const next = on ? METHOD_INFO.map((i) => i.method).filter((x) => x === m || p.methods.includes(x)) : p.methods.filter((x) => x !== m);
    if (next.length) p.onMethods(next);
  };
  const set = (patch: Partial<MethodSettings>) => p.onSettings({ ...p.settings, ...patch });
  const used = new Set(METHOD_INFO.filter((i) => p.methods.includes(i.method)).flatMap((i) => i.uses));
  const units = Array.from({ length: p.index.outputSize }, (_, k) => k);
  return (
    <div className="toolbar">
      <fieldset className="methods">
        <legend>Methods (tick several to compare)</legend>
        {METHOD_INFO.map((i) => (
          <label key={i.method} title={i.doc}>
            <input type="checkbox" data-method={i.method} checked={p.methods.includes(i.method)} onChange={(e) => toggle(i.method, e.target.checked)} /> {i.label}
          </label>
        ))}
      </fieldset>
      <div className="settings">
        <label>
          Explain
          <select id="target" value={p.target ?? ''} onChange={(e) => p.onTarget(e.target.value === '' ? undefined : Number(e.target.value))}>
            <option value="">{p.index.classifier ? 'the predicted class' : 'the largest output'}{p.target === undefined && p.shownTarget !== undefined ? ` (${className(p.shownTarget, p.index.classNames)})` : ''}</option>
            {units.map((k) => (
              <option key={k} value={k}>
                {p.index.classifier ? className(k, p.index.classNames) : `output ${k}`}
              </option>
            ))}
          </select>
        </label>
        {p.index.classifier && (
          <label title="The logit is the score before softmax; the probability saturates near 0 and 1, which flattens attributions.">
            Output
            <select id="output" value={p.settings.output} onChange={(e) => set({ output: e.target.value as MethodSettings['output'] })}>
              <option value="logit">logit</option>
              <option value="probability">probability</option>
            </select>
          </label>
        )}
        {used.has('steps') && (
          <label title="Integrated Gradients: points on the path from the baseline to the input">
            Steps
            <select id="steps" value={p.settings.steps} onChange={(e) => set({ steps: Number(e.target.value) })}>
              {[8, 16, 32, 64, 128, 256].map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        )}
        {used.has('baseline') && (
          <label title="The reference input of Integrated Gradients, and what occluded windows are filled with">
            Baseline
            <select id="baseline" value={p.settings.baseline} onChange={(e) => set({ baseline: e.target.value as BaselineKind })}>
              {baselinesFor(p.index.input.kind).map((b) => (
                <option key={b} value={b}>
                  {b === 'mean' ? 'training mean' : b}
                </option>
              ))}
            </select>
          </label>
        )}
        {used.has('samples') && (
          <label title="SmoothGrad: noisy copies averaged">
            Samples
            <select id="samples" value={p.settings.samples} onChange={(e) => set({ samples: Number(e.target.value) })}>
              {[8, 16, 32, 64, 128].map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        )}
        {used.has('noise') && (
          <label title="SmoothGrad: noise as a fraction of the input's value range">
            Noise
            <select id="noise" value={p.settings.noise} onChange={(e) => set({ noise: Number(e.target.value) })}>
              {[0.05, 0.1, 0.15, 0.2, 0.3].map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        )}
        {used.has('window') && p.index.input.kind === 'image' && (
          <label title="Occlusion: side of the square window slid over the image (stride: half of it)">
            Window
            <select id="window" value={p.settings.window} onChange={(e) => set({ window: Number(e.target.value) })}>
              {[2, 3, 4, 6, 8].map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        )}
        {(p.index.input.kind === 'image' || p.index.input.kind === 'tensor') && (
          <label className="opacity" title="0: the input alone; 1: the heatmap alone">
            Heatmap opacity
            <input id="opacity" type="range" min={0} max={1} step={0.05} value={p.opacity} onChange={(e) => p.onOpacity(Number(e.target.value))} />
            <span>{Math.round(100 * p.opacity)} %</span>
          </label>
        )}
      </div>
    </div>
  );
}
