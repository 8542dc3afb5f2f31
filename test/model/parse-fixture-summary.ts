// Turns a parse result into the plain facts a fixture's *.expected.json records: diagnostics with
// 1-based line:col, and per layer its id, kind, inputs and parameter names.
import type { ParseResult } from '../../src/model/types';
import { LineIndex } from '../../src/model/types';

export interface DiagnosticFacts {
  code: string;
  severity: string;
  at: string;
  message: string;
  layer?: string;
}

export interface LayerFacts {
  id: string;
  kind: string;
  inputs: string[];
  implicitInputs: boolean;
  idWritten: boolean;
  params: string[];
}

export interface ParseFacts {
  diagnostics: DiagnosticFacts[];
  /** Null when the parser returned no model. */
  layers: LayerFacts[] | null;
  outputs?: string[];
  sections?: Record<string, unknown>;
}

export function parseFacts(text: string, result: ParseResult): ParseFacts {
  const lines = new LineIndex(text);
  const at = (offset: number): string => {
    const p = lines.position(offset);
    return `${p.line + 1}:${p.col + 1}`;
  };
  const diagnostics = result.diagnostics.map((d) => {
    const facts: DiagnosticFacts = { code: d.code, severity: d.severity, at: at(d.range.start), message: d.message };
    if (d.layer !== undefined) facts.layer = d.layer;
    return facts;
  });
  const model = result.model;
  if (!model) return { diagnostics, layers: null };
  const sections: Record<string, unknown> = {};
  for (const name of ['loss', 'optimizer', 'schedule', 'training', 'data'] as const) {
    const s = model[name];
    if (!s) continue;
    const facts: Record<string, unknown> = {};
    if (s.type) facts.type = s.type.value;
    facts.params = Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, v.value]));
    sections[name] = facts;
  }
  if (model.metrics) sections.metrics = model.metrics.map((m) => m.value);
  if (model.name) sections.name = model.name.value;
  return {
    diagnostics,
    layers: model.layers.map((l) => ({
      id: l.id,
      kind: l.kind,
      inputs: l.inputs.map((r) => r.id),
      implicitInputs: l.implicitInputs,
      idWritten: l.idWritten,
      params: Object.keys(l.params),
    })),
    outputs: model.outputs?.map((o) => o.id),
    sections,
  };
}
