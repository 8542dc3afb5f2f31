// The two trust checks under every explanation: the model-randomization check (with the
// re-initialised model's map beside it) and, for Integrated Gradients, the completeness gap.
import type { ReactNode } from 'react';
import type { ExplainResult } from '../../../src/explain/types';
import { completenessLine, randomizationLine, type TrustLine } from '../logic/trustText';

function Line(props: { line: TrustLine; kind: string; children?: ReactNode }) {
  const { line } = props;
  return (
    <div className={`trust ${line.level}`} data-check={props.kind} data-level={line.level}>
      <div className="trust-title">
        <span className={`codicon ${line.level === 'warn' ? 'codicon-warning' : 'codicon-pass'}`} aria-hidden="true" /> {line.title}
      </div>
      <div className="trust-body">
        {props.children}
        <div>
          <div className="trust-numbers">{line.numbers}</div>
          <div className="trust-meaning">{line.meaning}</div>
        </div>
      </div>
    </div>
  );
}

export function TrustChecks(props: { result: ExplainResult; randomMap?: ReactNode }) {
  const r = props.result;
  return (
    <div className="trust-checks">
      {r.randomization ? (
        <Line line={randomizationLine(r.randomization)} kind="randomization">
          {props.randomMap && (
            <figure className="random-map">
              {props.randomMap}
              <figcaption>re-initialised model</figcaption>
            </figure>
          )}
        </Line>
      ) : (
        <div className="trust hint">The randomization check was not run.</div>
      )}
      {r.completeness ? (
        <Line line={completenessLine(r.completeness)} kind="completeness" />
      ) : (
        <div className="trust hint" data-check="completeness-na">
          Completeness gap: only Integrated Gradients promises that attributions add up to the output’s change.
        </div>
      )}
    </div>
  );
}
