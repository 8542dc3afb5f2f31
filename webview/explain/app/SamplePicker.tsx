// Choosing what to explain: samples of the split with the model's predictions (filtered by
// outcome, confidence and class), or an input of one's own — an image file for image models, a
// row of numbers (a CSV line, token ids) for the others.
import { useMemo, useState } from 'react';
import type { ExplainIndexResult } from '../../../src/explain/types';
import { className, describeSample, filterSamples, isMisclassified, summary, type SampleFilter } from '../logic/filter';
import { parseRow } from '../logic/rowInput';

const PAGE = 200;

export interface OwnInputControls {
  imageName?: string;
  invert: 'auto' | 'on' | 'off';
  onInvert: (v: 'auto' | 'on' | 'off') => void;
  onOpenImage: () => void;
  onRow: (values: number[]) => void;
  error?: string;
}

function num(v: string): number | undefined {
  return v === '' ? undefined : Number(v);
}

export function SamplePicker(props: { index: ExplainIndexResult; filter: SampleFilter; onFilter: (f: SampleFilter) => void; selected?: number; onPick: (sample: number) => void; own: OwnInputControls }) {
  const { index, filter } = props;
  const [limit, setLimit] = useState(PAGE);
  const [row, setRow] = useState('');
  const [rowError, setRowError] = useState<string>();
  const shown = useMemo(() => filterSamples(index.samples, filter), [index, filter]);
  const counts = summary(index.samples);
  const classes = index.classifier ? Array.from({ length: Math.max(index.outputSize, index.classNames?.length ?? 0, 2) }, (_, k) => k) : [];
  const set = (patch: Partial<SampleFilter>) => {
    setLimit(PAGE);
    props.onFilter({ ...filter, ...patch });
  };
  const kind = index.input.kind;
  const submitRow = () => {
    const parsed = parseRow(row, { count: index.input.shape.reduce((a, b) => a * b, 1), vocab: index.input.vocab });
    if (!parsed.ok) return setRowError(parsed.message);
    setRowError(undefined);
    props.own.onRow(parsed.values);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = shown.findIndex((s) => s.sample === props.selected);
    const next = shown[Math.max(0, Math.min(shown.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) props.onPick(next.sample);
  };
  return (
    <aside className="picker">
      <h2>Samples</h2>
      <div className="counts" data-total={counts.total} data-misclassified={counts.misclassified}>
        {counts.total} in the {index.split} split
        {index.classifier && index.accuracy !== undefined && <> · {counts.misclassified} misclassified · accuracy {(100 * index.accuracy).toFixed(1)} %</>}
      </div>
      <div className="filters">
        {index.classifier ? (
          <>
            <label>
              Show
              <select id="filter-outcome" value={filter.outcome} onChange={(e) => set({ outcome: e.target.value as SampleFilter['outcome'] })}>
                <option value="all">all samples</option>
                <option value="misclassified">misclassified</option>
                <option value="correct">correctly classified</option>
              </select>
            </label>
            <label>
              Confidence
              <select id="filter-confidence" value={filter.maxConfidence ?? ''} onChange={(e) => set({ maxConfidence: num(e.target.value) })}>
                <option value="">any</option>
                {[0.5, 0.7, 0.8, 0.9, 0.95, 0.99].map((c) => (
                  <option key={c} value={c}>
                    below {Math.round(100 * c)} %
                  </option>
                ))}
              </select>
            </label>
            <label>
              True class
              <select id="filter-label" value={filter.label ?? ''} onChange={(e) => set({ label: num(e.target.value) })}>
                <option value="">any</option>
                {classes.map((k) => (
                  <option key={k} value={k}>
                    {className(k, index.classNames)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Predicted
              <select id="filter-predicted" value={filter.predicted ?? ''} onChange={(e) => set({ predicted: num(e.target.value) })}>
                <option value="">any</option>
                {classes.map((k) => (
                  <option key={k} value={k}>
                    {className(k, index.classNames)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Order
              <select id="filter-sort" value={filter.sort} onChange={(e) => set({ sort: e.target.value as SampleFilter['sort'] })}>
                <option value="index">split order</option>
                <option value="confidence-asc">least confident first</option>
                <option value="confidence-desc">most confident first</option>
              </select>
            </label>
          </>
        ) : (
          <label>
            Order
            <select id="filter-sort" value={filter.sort} onChange={(e) => set({ sort: e.target.value as SampleFilter['sort'] })}>
              <option value="index">split order</option>
              <option value="error-desc">largest error first</option>
            </select>
          </label>
        )}
      </div>
      <div className="shown-count" data-shown={shown.length}>
        {shown.length === index.samples.length ? `${shown.length} samples` : `${shown.length} of ${index.samples.length} samples match`}
      </div>
      <ul className="samples" role="listbox" aria-label="Samples to explain" tabIndex={0} onKeyDown={onKey}>
        {shown.slice(0, limit).map((s) => (
          <li
            key={s.sample}
            role="option"
            aria-selected={s.sample === props.selected}
            className={`sample ${s.sample === props.selected ? 'selected' : ''} ${isMisclassified(s) ? 'wrong' : ''}`}
            data-sample={s.sample}
            data-label={s.label ?? ''}
            data-predicted={s.predicted ?? ''}
            data-confidence={s.confidence ?? ''}
            onClick={() => props.onPick(s.sample)}
          >
            <span className={`codicon ${isMisclassified(s) ? 'codicon-close' : s.label !== undefined ? 'codicon-check' : 'codicon-circle-small'}`} aria-hidden="true" />
            {describeSample(s, index.classNames)}
          </li>
        ))}
      </ul>
      {shown.length > limit && (
        <button className="secondary" onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, shown.length - limit)} more
        </button>
      )}

      <h2>Your own input</h2>
      {kind === 'image' ? (
        <div className="own">
          <button id="open-image" onClick={props.own.onOpenImage}>
            <span className="codicon codicon-file-media" aria-hidden="true" /> Open image…
          </button>
          <label>
            Invert
            <select id="image-invert" value={props.own.invert} onChange={(e) => props.own.onInvert(e.target.value as 'auto' | 'on' | 'off')}>
              <option value="auto">auto (light background)</option>
              <option value="on">yes</option>
              <option value="off">no</option>
            </select>
          </label>
          <p className="hint">
            The picture is fitted into the model’s {index.input.shape.slice(1).join(' × ')} pixels{index.input.shape[0] === 1 ? ' in grey' : ''}, its levels mapped onto the data’s range
            {index.input.range ? ` ${index.input.range.map((v) => v.toFixed(2)).join(' to ')}` : ''}; the bundled image sets draw a light subject on a dark background, so light pictures are inverted.
          </p>
          {props.own.imageName && <div className="own-name">Showing {props.own.imageName}</div>}
        </div>
      ) : (
        <div className="own">
          <textarea
            id="row-input"
            rows={3}
            value={row}
            placeholder={kind === 'tokens' ? `${index.input.shape[0]} token ids, e.g. 3 1 4 …` : `${index.input.shape.reduce((a, b) => a * b, 1)} numbers, e.g. a CSV row without its label`}
            onChange={(e) => setRow(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submitRow();
            }}
          />
          <button id="explain-row" onClick={submitRow}>
            Explain this row
          </button>
          <p className="hint">{index.input.standardised ? 'In the CSV’s own units: the values are standardised like the training data before the model sees them.' : 'Values as the model takes them.'}</p>
        </div>
      )}
      {(rowError ?? props.own.error) && (
        <div className="error" role="alert">
          {rowError ?? props.own.error}
        </div>
      )}
    </aside>
  );
}
