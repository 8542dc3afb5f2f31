// A layer's card: kind and id, its key parameters, output shape and parameter count; an input
// port on top (none for Input layers) and an output port below. Problems colour the card and
// their messages show on hover.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatCount, type LayerNode } from '../logic/flow';

function LayerNodeViewInner({ data, selected }: NodeProps<LayerNode>) {
  const l = data.layer;
  const worst = l.diagnostics[0]?.severity;
  const problem = worst === 'error' || worst === 'warning' ? worst : undefined;
  const title = l.diagnostics.map((d) => `${d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Note'}: ${d.message}`).join('\n');
  const classes = ['layer-card', `cat-${l.category ?? 'unknown'}`, problem ? `has-${problem}` : '', selected ? 'is-selected' : '', l.isOutput ? 'is-output' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} title={title || undefined} data-layer={l.id}>
      {l.kind !== 'Input' && <Handle type="target" position={Position.Top} id="in" className="port port-in" aria-label={`input port of ${l.id}`} />}
      <div className="card-head">
        <span className="card-kind">{l.kind || '(no type)'}</span>
        <span className="card-id">{l.id}</span>
        {problem && <span className={`codicon ${problem === 'error' ? 'codicon-error' : 'codicon-warning'} card-problem`} aria-hidden="true" />}
      </div>
      <div className="card-params">{l.summary || '\u00a0'}</div>
      <div className="card-foot">
        <span className="card-shape">{l.output ?? '?'}</span>
        <span className="card-count">{l.paramCount > 0 ? `${formatCount(l.paramCount)} params` : ''}</span>
      </div>
      <Handle type="source" position={Position.Bottom} id="out" className="port port-out" aria-label={`output port of ${l.id}`} />
    </div>
  );
}

export const LayerNodeView = memo(LayerNodeViewInner);
