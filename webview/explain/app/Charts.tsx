// The non-image views of a map: the colour legend, the bar chart of feature attributions
// (tabular inputs) and the heat strip of tokens (token-id inputs).
import type { BarChart, TokenCell } from '../logic/charts';
import { legend, type Display } from '../logic/overlay';
import { fmt } from '../logic/trustText';

export function Legend(props: { display: Display; scale: number }) {
  const l = legend(props.display, props.scale, 24);
  return (
    <div className="legend" aria-label={`colour scale from ${fmt(l.min)} to ${fmt(l.max)}`}>
      <span className="legend-end">{fmt(l.min)}</span>
      <span className="legend-ramp">
        {l.colors.map((c, i) => (
          <span key={i} style={{ background: c }} />
        ))}
      </span>
      <span className="legend-end">{fmt(l.max)}</span>
      <span className="legend-kind">{props.display === 'signed' ? 'blue < 0 < red' : 'magnitude'}</span>
    </div>
  );
}

export function FeatureBarChart(props: { chart: BarChart; signed: boolean }) {
  const { chart } = props;
  return (
    <div className="bars" role="table" aria-label="Attribution per feature, largest first">
      {chart.bars.map((b) => (
        <div className="bar-row" role="row" key={b.feature} data-feature={b.feature} data-attribution={b.attribution}>
          <span className="bar-name" role="cell" title={b.name}>
            {b.name}
          </span>
          <span className="bar-value" role="cell" title="the feature's value (the data's own units when it was standardised)">
            {fmt(b.raw ?? b.value)}
          </span>
          <span className={`bar-track ${props.signed ? 'signed' : ''}`} role="cell">
            <span className={`bar ${b.attribution < 0 ? 'neg' : 'pos'}`} style={{ width: `${(props.signed ? 50 : 100) * b.length}%`, background: b.color }} />
          </span>
          <span className="bar-number" role="cell">
            {fmt(b.attribution)}
          </span>
        </div>
      ))}
      {chart.hidden > 0 && <div className="hint">{chart.hidden} smaller features not shown</div>}
    </div>
  );
}

export function TokenStrip(props: { cells: TokenCell[]; small?: boolean }) {
  return (
    <div className={`tokens ${props.small ? 'small' : ''}`} role="list" aria-label="Attribution per token">
      {props.cells.map((c) => (
        <span
          key={c.position}
          role="listitem"
          className={`token ${c.darkText ? 'dark' : 'light'}`}
          style={{ background: c.background }}
          title={`position ${c.position}: token ${c.id}, attribution ${fmt(c.attribution)}`}
          data-attribution={c.attribution}
        >
          {c.id}
        </span>
      ))}
    </div>
  );
}
