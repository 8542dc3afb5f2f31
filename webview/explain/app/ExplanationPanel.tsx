// One method's explanation of the current input: the map (over the input for images and other
// grids, a bar chart for tabular inputs, a heat strip for tokens) with its colour scale, the
// method's cost, the trust checks and the engine's warnings. The numbers drawn are also data
// attributes, so tests read them without decoding pixels.
import { useMemo } from 'react';
import type { ExplainResult } from '../../../src/explain/types';
import { featureBars, tokenStrip } from '../logic/charts';
import { methodInfo } from '../logic/methods';
import { differingPixels, inputRaster, mapRaster, mapStats, overlay } from '../logic/overlay';
import { fmt, percent } from '../logic/trustText';
import { FeatureBarChart, Legend, TokenStrip } from './Charts';
import { RasterCanvas } from './RasterCanvas';
import { TrustChecks } from './TrustChecks';

export type Entry = { status: 'loading' } | { status: 'done'; result: ExplainResult } | { status: 'error'; message: string };

const PANEL_SIZE = 200;
const THUMB_SIZE = 76;

function MapView(props: { result: ExplainResult; opacity: number }) {
  const r = props.result;
  const stats = useMemo(() => mapStats(r.map), [r]);
  const drawn = useMemo(() => {
    if (r.input.kind === 'tabular' || r.input.kind === 'tokens') return undefined;
    const input = inputRaster(r.input.values, r.input.shape);
    const blended = overlay(input, r.map, r.display, props.opacity, stats.scale);
    return { blended, changed: differingPixels(input, blended) };
  }, [r, props.opacity, stats]);
  let body;
  let scale = stats.scale;
  if (r.input.kind === 'tabular') {
    const chart = featureBars(r.attributions, r.input.values, r.display, { raw: r.input.raw });
    scale = chart.max > 0 ? chart.max : 1;
    body = <FeatureBarChart chart={chart} signed={r.display === 'signed'} />;
  }
  else if (r.input.kind === 'tokens') body = <TokenStrip cells={tokenStrip(r.input.values, r.map, r.display)} />;
  else body = <RasterCanvas raster={drawn!.blended} size={PANEL_SIZE} label={`${methodInfo(r.options.method).label} map over the input`} className="map-canvas" />;
  return (
    <div className="map" data-map-min={stats.min} data-map-max={stats.max} data-map-abs-sum={stats.absSum} data-nonzero={stats.nonzero} data-changed-pixels={drawn?.changed ?? ''} data-display={r.display}>
      {body}
      <Legend display={r.display} scale={scale} />
    </div>
  );
}

function RandomMap(props: { result: ExplainResult }) {
  const r = props.result;
  const random = r.randomization;
  if (!random) return null;
  if (r.input.kind === 'tokens') return <TokenStrip cells={tokenStrip(r.input.values, random.map, r.display)} small />;
  return <RasterCanvas raster={mapRaster(random.map, r.mapShape, r.display)} size={THUMB_SIZE} label="the re-initialised model's map" className="random-canvas" />;
}

function details(r: ExplainResult): string {
  const o = r.options;
  switch (o.method) {
    case 'integrated_gradients':
      return `${o.steps} steps, ${o.baseline} baseline`;
    case 'smoothgrad':
      return `${o.samples} samples, noise ${o.noise}`;
    case 'occlusion':
      return `window ${o.window.join('×')}, stride ${o.stride.join('×')}, ${o.baseline} baseline`;
    default:
      return '';
  }
}

export function ExplanationPanel(props: { method: string; entry: Entry | undefined; opacity: number }) {
  const info = methodInfo(props.method as never);
  const e = props.entry;
  const r = e?.status === 'done' ? e.result : undefined;
  return (
    <section
      className="panel"
      data-method={props.method}
      data-state={e?.status ?? 'waiting'}
      data-target={r?.target.index ?? ''}
      data-spearman={r?.randomization?.spearman ?? ''}
      data-alike={r?.randomization ? String(r.randomization.alike) : ''}
      data-gap={r?.completeness?.relativeGap ?? ''}
      aria-busy={e?.status === 'loading'}
    >
      <h3 title={info.doc}>
        {info.label}
        {r && <span className="panel-cost">{[details(r), `${r.evaluations} evaluations, ${r.seconds.toFixed(2)} s`].filter(Boolean).join(' · ')}</span>}
      </h3>
      {!e || e.status === 'loading' ? (
        <div className="panel-wait">
          <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {e ? 'computing…' : 'waiting…'}
        </div>
      ) : e.status === 'error' ? (
        <div className="error" role="alert">
          <span className="codicon codicon-error" aria-hidden="true" /> {e.message}
        </div>
      ) : (
        <>
          <div className="panel-target">
            explains the {r!.output === 'probability' ? 'probability' : r!.classifier ? 'logit' : 'output'} of <b>{r!.target.name ?? `unit ${r!.target.index}`}</b>
            {r!.target.predicted ? ' (predicted)' : ''} = {fmt(r!.score)}
          </div>
          <MapView result={r!} opacity={props.opacity} />
          {r!.mask && (
            <div className="mask-line" data-mask-mass={r!.mask.attributionMass}>
              {percent(r!.mask.attributionMass)} of |attribution| lies on the object, which covers {percent(r!.mask.share)} of the image
            </div>
          )}
          <TrustChecks result={r!} randomMap={<RandomMap result={r!} />} />
          {r!.warnings.map((w, i) => (
            <div className="warning" key={i}>
              <span className="codicon codicon-warning" aria-hidden="true" /> {w}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

/** The input itself, beside the maps. */
export function InputPanel(props: { result: ExplainResult | undefined; caption: string }) {
  const r = props.result;
  const raster = useMemo(() => (r && r.input.kind !== 'tabular' && r.input.kind !== 'tokens' ? inputRaster(r.input.values, r.input.shape) : undefined), [r]);
  return (
    <section className="panel input-panel" data-method="input">
      <h3>Input</h3>
      <div className="panel-target">{props.caption}</div>
      {!r ? (
        <div className="panel-wait">
          <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> loading…
        </div>
      ) : raster ? (
        <RasterCanvas raster={raster} size={PANEL_SIZE} label="the input" className="input-canvas" />
      ) : r.input.kind === 'tokens' ? (
        <div className="tokens">
          {r.input.values.map((id, i) => (
            <span className="token plain" key={i}>
              {id}
            </span>
          ))}
        </div>
      ) : (
        <table className="values">
          <tbody>
            {r.input.values.map((v, i) => (
              <tr key={i}>
                <th>feature {i}</th>
                <td>{fmt(r.input.raw?.[i] ?? v)}</td>
                {r.input.raw && <td className="hint">standardised {fmt(v)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
