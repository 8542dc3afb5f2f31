// The selected layer's properties: id, inputs and every parameter of its kind (from layers.json),
// as typed fields that check what is typed before anything is written. A valid change becomes one
// edit of the text; an invalid one stays in the field with a message saying what is expected.
import { useRef, useState } from 'react';
import { getLayerMeta, type ParamMeta } from '../../../src/analysis/layers';
import type { GraphEdit, GraphLayer } from '../../../src/webview-protocol/graph';
import { fieldText, parseField, parseInputs, parseLayerId, sameValue } from '../logic/paramInput';
import { useElementEvent } from './elements';

interface PanelProps {
  layer: GraphLayer;
  allIds: ReadonlySet<string>;
  onEdit: (edit: GraphEdit) => void;
  onClose: () => void;
}

export function PropertyPanel({ layer, allIds, onEdit, onClose }: PanelProps) {
  const meta = getLayerMeta(layer.kind);
  const unknownParams = Object.keys(layer.params).filter((k) => !meta?.params[k]);
  return (
    <aside
      className="panel"
      aria-label={`Properties of ${layer.id}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="panel-title">
        <span className="panel-kind">{layer.kind || '(no type)'}</span>
        <span className="panel-doc">{meta?.doc ?? 'Unknown layer kind: fix its type in the text editor.'}</span>
      </div>
      {layer.diagnostics.length > 0 && (
        <ul className="panel-problems" aria-label="Problems">
          {layer.diagnostics.map((d, i) => (
            <li key={i} className={`problem-${d.severity}`}>
              <span className={`codicon codicon-${d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info'}`} aria-hidden="true" />
              {d.message}
            </li>
          ))}
        </ul>
      )}
      <TextField
        key={`id:${layer.id}`}
        name="id"
        doc="The layer's name; references to it are renamed too."
        value={layer.id}
        parse={(raw) => parseLayerId(raw, allIds, layer.id)}
        commit={(v) => v !== layer.id && onEdit({ type: 'rename', layer: layer.id, newId: v as string })}
      />
      {meta?.inputs !== 0 && (
        <TextField
          key={`inputs:${layer.id}`}
          name="inputs"
          doc={layer.implicitInputs ? 'Taken from the previous layer. List ids (comma-separated) to connect others.' : 'Ids of the layers feeding this one, in order.'}
          value={layer.inputs.join(', ')}
          parse={(raw) => parseInputs(raw, allIds, layer.id)}
          commit={(v) => {
            const ids = v as string[];
            if (!sameValue(ids, layer.inputs)) onEdit({ type: 'setInputs', layer: layer.id, inputs: ids });
          }}
        />
      )}
      {meta &&
        Object.entries(meta.params).map(([name, p]) => (
          <ParamField key={`${layer.id}:${name}`} layer={layer} name={name} meta={p} onEdit={onEdit} />
        ))}
      {unknownParams.length > 0 && (
        <p className="panel-note">
          {unknownParams.map((k) => `${k}: ${fieldText(layer.params[k])}`).join(', ')} — not a parameter of {layer.kind}; edit it in the text.
        </p>
      )}
    </aside>
  );
}

function ParamField({ layer, name, meta, onEdit }: { layer: GraphLayer; name: string; meta: ParamMeta; onEdit: (e: GraphEdit) => void }) {
  const written = layer.params[name];
  const set = (value: unknown) => {
    if (!sameValue(value, written)) onEdit({ type: 'setParam', layer: layer.id, param: name, value });
  };
  const remove = () => {
    if (written !== undefined) onEdit({ type: 'removeParam', layer: layer.id, param: name });
  };
  if (meta.type === 'enum') return <EnumField name={name} meta={meta} written={written} set={set} remove={remove} />;
  if (meta.type === 'bool') return <BoolField name={name} meta={meta} written={written} set={set} />;
  return (
    <TextField
      name={name}
      doc={meta.doc}
      required={meta.required}
      value={fieldText(written)}
      placeholder={meta.default !== undefined ? `default: ${fieldText(meta.default)}` : meta.required ? 'required' : ''}
      parse={(raw) => {
        const r = parseField(name, meta, raw);
        if (!r.ok) return r;
        return { ok: true, value: 'remove' in r ? undefined : r.value };
      }}
      commit={(v) => (v === undefined ? remove() : set(v))}
    />
  );
}

type Parser = (raw: string) => { ok: true; value: unknown } | { ok: false; error: string };

function TextField(props: { name: string; doc: string; value: string; placeholder?: string; required?: boolean; parse: Parser; commit: (v: unknown) => void }) {
  const ref = useRef<HTMLElement>(null);
  const [error, setError] = useState<string>();
  const fieldId = `field-${props.name}`;
  const check = (el: HTMLElement, commit: boolean) => {
    const r = props.parse((el as HTMLInputElement).value);
    setError(r.ok ? undefined : r.error);
    if (r.ok && commit) props.commit(r.value);
  };
  useElementEvent(ref, 'input', (el) => check(el, false));
  useElementEvent(ref, 'change', (el) => check(el, true));
  return (
    <div className="field">
      <vscode-label for={fieldId}>
        {props.name}
        {props.required ? ' *' : ''}
      </vscode-label>
      <vscode-textfield
        ref={ref}
        id={fieldId}
        data-param={props.name}
        value={props.value}
        placeholder={props.placeholder}
        invalid={error !== undefined}
        aria-invalid={error !== undefined}
        aria-describedby={`${fieldId}-help`}
        title={props.doc}
      />
      <vscode-form-helper id={`${fieldId}-help`} className={error ? 'field-error' : 'field-doc'} role={error ? 'alert' : undefined}>
        {error ?? props.doc}
      </vscode-form-helper>
    </div>
  );
}

function EnumField(props: { name: string; meta: ParamMeta; written: unknown; set: (v: unknown) => void; remove: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const fieldId = `field-${props.name}`;
  const current = typeof props.written === 'string' ? props.written : '';
  useElementEvent(ref, 'change', (el) => {
    const v = (el as HTMLSelectElement).value;
    if (v === '') props.remove();
    else props.set(v);
  });
  return (
    <div className="field">
      <vscode-label for={fieldId}>{props.name}</vscode-label>
      <vscode-single-select ref={ref} id={fieldId} data-param={props.name} value={current} title={props.meta.doc}>
        <vscode-option value="">{props.meta.default !== undefined ? `(default: ${String(props.meta.default)})` : '(not set)'}</vscode-option>
        {(props.meta.values ?? []).map((v) => (
          <vscode-option key={v} value={v} selected={v === current}>
            {v}
          </vscode-option>
        ))}
      </vscode-single-select>
      <vscode-form-helper className="field-doc">{props.meta.doc}</vscode-form-helper>
    </div>
  );
}

function BoolField(props: { name: string; meta: ParamMeta; written: unknown; set: (v: unknown) => void }) {
  const ref = useRef<HTMLElement>(null);
  const effective = typeof props.written === 'boolean' ? props.written : props.meta.default === true;
  useElementEvent(ref, 'change', (el) => props.set((el as HTMLInputElement).checked));
  return (
    <div className="field">
      <vscode-checkbox ref={ref} data-param={props.name} checked={effective} title={props.meta.doc}>
        {props.name}
        {props.written === undefined ? ' (default)' : ''}
      </vscode-checkbox>
      <vscode-form-helper className="field-doc">{props.meta.doc}</vscode-form-helper>
    </div>
  );
}
