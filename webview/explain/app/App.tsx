// The Explain view: pick weights and a split, choose a sample (or open an image / enter a row),
// and see each chosen method's map beside the input with the predictions and the trust checks.
// Explanations are requested one at a time and kept by request, so switching back to a method,
// class or sample seen before is instant; answers for a choice the user has left are kept too.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AttributionMethod, ExplainIndexResult, ExplainResult, ExplainSplit } from '../../../src/explain/types';
import type { Blocked, WeightsChoice } from '../../../src/webview-protocol/explain';
import { DEFAULT_FILTER, className, filterSamples, type SampleFilter } from '../logic/filter';
import { imageToTensor, type RgbaImage } from '../logic/imageTensor';
import { DEFAULT_SETTINGS, explainOptions, requestKey, type MethodSettings } from '../logic/methods';
import { decodeImage } from './decodeImage';
import { ExplanationPanel, InputPanel, type Entry } from './ExplanationPanel';
import { ask, listen, loadState, post, saveState } from './host';
import { Predictions } from './Predictions';
import { SamplePicker } from './SamplePicker';
import { Toolbar } from './Toolbar';

interface Init {
  model: { name: string; file: string };
  weights: WeightsChoice[];
  blocked?: Blocked;
}

type Source = { kind: 'sample'; split: ExplainSplit; sample: number } | { kind: 'input'; values: number[]; caption: string; key: string };

type IndexState = { status: 'loading' } | { status: 'done'; result: ExplainIndexResult } | { status: 'error'; message: string };

interface Saved {
  methods: AttributionMethod[];
  settings: MethodSettings;
  opacity: number;
  filter: SampleFilter;
}

const SPLITS: ExplainSplit[] = ['validation', 'test', 'train'];
/** Explanations kept for switching back; the oldest go first. */
const CACHE_LIMIT = 200;

/** A short fingerprint of input values (FNV-1a over their text). */
function fingerprint(values: readonly number[]): string {
  let h = 0x811c9dc5;
  const text = values.join(',');
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${values.length}:${(h >>> 0).toString(16)}`;
}

function sourceKey(s: Source | undefined): string {
  if (!s) return '';
  return s.kind === 'sample' ? `s:${s.split}:${s.sample}` : `i:${s.key}`;
}

/** The output unit the model predicts for a result's input, when the result tells. */
function predictedUnit(r: ExplainResult | undefined): number | undefined {
  if (!r) return undefined;
  if (r.target.predicted) return r.target.index;
  return r.classifier && r.predictions.length > 1 ? r.predictions[0].index : undefined;
}

export function App() {
  const saved = useMemo(() => loadState<Saved>(), []);
  const [init, setInit] = useState<Init>();
  const [weights, setWeights] = useState<string>();
  const [split, setSplit] = useState<ExplainSplit>('validation');
  const [index, setIndex] = useState<IndexState>();
  const [filter, setFilter] = useState<SampleFilter>(saved.filter ?? DEFAULT_FILTER);
  const [source, setSource] = useState<Source>();
  const [methods, setMethods] = useState<AttributionMethod[]>(saved.methods?.length ? saved.methods : ['integrated_gradients']);
  const [target, setTarget] = useState<number>();
  const [settings, setSettings] = useState<MethodSettings>({ ...DEFAULT_SETTINGS, ...saved.settings });
  const [opacity, setOpacity] = useState(saved.opacity ?? 0.6);
  const [cache, setCache] = useState(() => new Map<string, Entry>());
  const [latest, setLatest] = useState(() => new Map<string, ExplainResult>());
  const [image, setImage] = useState<{ name: string; pixels: RgbaImage }>();
  const [invert, setInvert] = useState<'auto' | 'on' | 'off'>('auto');
  const [ownError, setOwnError] = useState<string>();
  const busy = useRef(false);

  useEffect(
    () =>
      listen((m) => {
        if (m.type === 'init') {
          setInit({ model: m.model, weights: m.weights, blocked: m.blocked });
          setWeights(m.selected);
        } else if (m.type === 'weights') {
          setInit((i) => (i ? { ...i, weights: m.weights } : i));
          setWeights((w) => (m.weights.some((c) => c.id === w) ? w : m.selected));
        }
      }),
    [],
  );
  useEffect(() => post({ type: 'ready' }), []);
  useEffect(() => saveState({ methods, settings, opacity, filter } satisfies Saved), [methods, settings, opacity, filter]);

  // The model's predictions on the split; an empty split gives way to one that has samples.
  useEffect(() => {
    if (!init || init.blocked || weights === undefined) return;
    let live = true;
    setIndex({ status: 'loading' });
    void ask<ExplainIndexResult>({ type: 'index', weights, split }).then((o) => {
      if (!live) return;
      if (!o.ok) return setIndex({ status: 'error', message: o.error.message });
      const r = o.result;
      const other = SPLITS.find((s) => s !== split && r.splits[s] > 0);
      if (r.samples.length === 0 && other) return setSplit(other);
      setIndex({ status: 'done', result: r });
    });
    return () => {
      live = false;
    };
  }, [init, weights, split]);

  const idx = index?.status === 'done' ? index.result : undefined;

  // A fresh list keeps the sample shown when it is still there, else shows the first that matches.
  useEffect(() => {
    if (!idx) return;
    setSource((s) => {
      if (s?.kind === 'input') return s;
      if (s?.kind === 'sample' && s.split === idx.split && s.sample < idx.samples.length) return s;
      const first = filterSamples(idx.samples, filter)[0] ?? idx.samples[0];
      setTarget(undefined);
      return first ? { kind: 'sample', split: idx.split, sample: first.sample } : undefined;
    });
    // The filter only picks the first sample of a new list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idx]);

  // An opened picture becomes the model's input (again when the invert choice changes).
  useEffect(() => {
    if (!image || !idx) return;
    try {
      const t = imageToTensor(image.pixels, idx.input.shape, { invert: invert === 'auto' ? 'auto' : invert === 'on', range: idx.input.range });
      setOwnError(undefined);
      setTarget(undefined);
      setSource({ kind: 'input', values: t.values, caption: `${image.name}${t.inverted ? ' (inverted)' : ''}`, key: fingerprint(t.values) });
    } catch (e) {
      setOwnError((e as Error).message);
    }
  }, [image, invert, idx]);

  const srcKey = `${weights}|${sourceKey(source)}`;
  const shownResult = latest.get(srcKey);
  const predicted = predictedUnit(shownResult);
  // Asking for the predicted class by name gives the same explanation as asking for the default.
  const effectiveTarget = target !== undefined && target === predicted ? undefined : target;
  const kind = idx?.input.kind ?? 'image';
  const topK = Math.min(idx?.outputSize ?? 5, 5);

  const wanted = useMemo(
    () =>
      source && weights !== undefined
        ? methods.map((method) => {
            const options = explainOptions(method, settings, kind, effectiveTarget, topK);
            return { method, options, key: requestKey({ weights, source: sourceKey(source), options }) };
          })
        : [],
    [source, weights, methods, settings, kind, effectiveTarget, topK],
  );

  // One explanation in flight at a time: the next missing one starts when the last one answers.
  useEffect(() => {
    if (busy.current || !idx || !source || weights === undefined || init?.blocked) return;
    const next = wanted.find((w) => !cache.has(w.key));
    if (!next) return;
    busy.current = true;
    const from = source;
    const resultKey = srcKey;
    setCache((c) => new Map(c).set(next.key, { status: 'loading' }));
    const where = from.kind === 'sample' ? { split: from.split, sample: from.sample } : { split: idx.split, input: from.values };
    void ask<ExplainResult>({ type: 'explain', weights, ...where, explain: next.options }).then((o) => {
      busy.current = false;
      setCache((c) => {
        const m = new Map(c);
        m.set(next.key, o.ok ? { status: 'done', result: o.result } : { status: 'error', message: o.error.message });
        for (const k of m.keys()) {
          if (m.size <= CACHE_LIMIT) break;
          m.delete(k);
        }
        return m;
      });
      if (o.ok) setLatest((l) => new Map(l).set(resultKey, o.result));
    });
  }, [wanted, cache, idx, source, weights, init, srcKey]);

  const pick = useCallback((sample: number) => {
    setTarget(undefined);
    // A failed explanation is tried again when its sample is picked again.
    setCache((c) => new Map([...c].filter(([, e]) => e.status !== 'error')));
    setSource({ kind: 'sample', split, sample });
  }, [split]);

  const openImage = () => {
    void ask<{ name: string; dataUrl: string }>({ type: 'pickImage' }).then(async (o) => {
      if (!o.ok) {
        if (o.error.message !== 'no image was chosen') setOwnError(o.error.message);
        return;
      }
      try {
        setImage({ name: o.result.name, pixels: await decodeImage(o.result.dataUrl) });
      } catch (e) {
        setOwnError(`cannot decode ${o.result.name}: ${(e as Error).message}`);
      }
    });
  };

  const onRow = (values: number[]) => {
    setImage(undefined);
    setTarget(undefined);
    setSource({ kind: 'input', values, caption: 'your row', key: fingerprint(values) });
  };

  const entries = wanted.map((w) => ({ method: w.method, entry: cache.get(w.key) }));
  const firstDone = entries.find((e) => e.entry?.status === 'done')?.entry as { result: ExplainResult } | undefined;
  const current = firstDone?.result ?? shownResult;
  const shownTarget = firstDone?.result.target.index;
  const choice = init?.weights.find((w) => w.id === weights);
  const state = !init ? 'starting' : init.blocked ? 'blocked' : index?.status !== 'done' ? (index?.status === 'error' ? 'error' : 'loading-index') : entries.every((e) => e.entry?.status === 'done' || e.entry?.status === 'error') ? 'ready' : 'explaining';

  let caption = '';
  if (source?.kind === 'sample' && idx) {
    const s = idx.samples[source.sample];
    caption = `Sample #${source.sample} of the ${source.split} split${s?.label !== undefined ? ` · true class ${className(s.label, idx.classNames)}` : ''}`;
  } else if (source?.kind === 'input') caption = source.caption;

  return (
    <div
      id="app"
      className="explain"
      data-state={state}
      data-trained={choice ? String(choice.trained) : ''}
      data-split={split}
      data-source={source ? (source.kind === 'sample' ? `sample:${source.sample}` : `input:${source.caption}`) : ''}
      data-target={shownTarget ?? ''}
      data-methods={methods.join(',')}
      data-done={entries.filter((e) => e.entry?.status === 'done').length}
    >
      <header>
        <h1>
          <span className="codicon codicon-lightbulb" aria-hidden="true" /> Explain {init ? init.model.name : ''}
        </h1>
        {init && !init.blocked && (
          <>
            <label>
              Weights
              <select id="weights" value={weights ?? ''} onChange={(e) => setWeights(e.target.value)}>
                {init.weights.map((w) => (
                  <option key={w.id} value={w.id} title={w.detail}>
                    {w.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Split
              <select id="split" value={split} onChange={(e) => setSplit(e.target.value as ExplainSplit)}>
                {SPLITS.map((s) => (
                  <option key={s} value={s} disabled={idx ? idx.splits[s] === 0 : false}>
                    {s}
                    {idx ? ` (${idx.splits[s]})` : ''}
                  </option>
                ))}
              </select>
            </label>
            <span className="status" role="status">
              {state === 'loading-index' ? 'loading the model and its data…' : state === 'explaining' ? 'explaining…' : choice?.detail ?? ''}
            </span>
          </>
        )}
      </header>
      {init?.blocked ? (
        <div className="blocked" data-reason={init.blocked.reason}>
          <p>
            <span className="codicon codicon-shield" aria-hidden="true" /> {init.blocked.message}
          </p>
          {init.blocked.reason === 'untrusted' && <button onClick={() => post({ type: 'manageTrust' })}>Manage Workspace Trust</button>}
        </div>
      ) : (
        <>
          {choice && !choice.trained && (
            <div className="notice" data-notice="untrained">
              <span className="codicon codicon-info" aria-hidden="true" /> These are the model’s initial, untrained weights: the maps show what a random network responds to. Train the model to explain what it learned.{' '}
              <button onClick={() => post({ type: 'train' })}>▶ Train</button>
            </div>
          )}
          {index?.status === 'error' && (
            <div className="error" role="alert">
              <span className="codicon codicon-error" aria-hidden="true" /> {index.message}
            </div>
          )}
          {idx && (
            <div className="body">
              <SamplePicker
                index={idx}
                filter={filter}
                onFilter={setFilter}
                selected={source?.kind === 'sample' ? source.sample : undefined}
                onPick={pick}
                own={{ imageName: source?.kind === 'input' ? image?.name : undefined, invert, onInvert: setInvert, onOpenImage: openImage, onRow, error: ownError }}
              />
              <main>
                <Toolbar index={idx} methods={methods} onMethods={setMethods} target={target} shownTarget={shownTarget} onTarget={setTarget} settings={settings} onSettings={setSettings} opacity={opacity} onOpacity={setOpacity} />
                <h2>Predictions</h2>
                <Predictions result={current} target={target} onTarget={setTarget} />
                <div className="panels">
                  <InputPanel result={current} caption={caption} />
                  {entries.map((e) => (
                    <ExplanationPanel key={e.method} method={e.method} entry={e.entry} opacity={opacity} />
                  ))}
                </div>
              </main>
            </div>
          )}
        </>
      )}
    </div>
  );
}
