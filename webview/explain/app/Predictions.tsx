// The model's top predictions for the current input; clicking one explains that class instead.
import type { ExplainResult } from '../../../src/explain/types';
import { fmt, percent } from '../logic/trustText';

export function Predictions(props: { result: ExplainResult | undefined; target: number | undefined; onTarget: (k: number) => void }) {
  const r = props.result;
  if (!r) return <div className="predictions hint">Predictions appear with the first explanation.</div>;
  const shown = props.target ?? r.target.index;
  return (
    <div className="predictions" role="list" aria-label="Top predictions; choose one to explain it">
      {r.predictions.map((p, rank) => {
        const name = p.name ?? `class ${p.index}`;
        const isLabel = typeof r.label === 'number' && r.label === p.index;
        return (
          <button
            key={p.index}
            role="listitem"
            className={`prediction ${p.index === shown ? 'selected' : ''}`}
            data-index={p.index}
            data-probability={p.probability ?? ''}
            aria-pressed={p.index === shown}
            title={`Explain ${name}`}
            onClick={() => props.onTarget(p.index)}
          >
            <span className="prediction-name">
              {rank === 0 && r.classifier ? <span className="codicon codicon-star-full" aria-label="predicted" /> : null} {name}
              {isLabel && <span className="label-tag">true class</span>}
            </span>
            {p.probability !== undefined ? (
              <>
                <span className="prob-track">
                  <span className="prob-bar" style={{ width: `${100 * p.probability}%` }} />
                </span>
                <span className="prediction-number">{percent(p.probability)}</span>
              </>
            ) : (
              <span className="prediction-number">{fmt(p.score)}</span>
            )}
          </button>
        );
      })}
    </div>
  );
}
