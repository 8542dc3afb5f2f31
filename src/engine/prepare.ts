// Model text -> analysed, compiled model ready for the engine, or an EngineError that says
// where the problem is (file, line, layer). Shared by train, eval, export and grad.
import * as path from 'path';
import type { ModelSpec } from '../model/types';
import { LineIndex } from '../model/types';
import type { ModelSummary } from '../analysis/types';
import { analyzeModel } from '../analysis/analyze';
import { compileModel } from '../compiler/compile';
import type { CompiledModel, CompileOptions } from '../compiler/types';
import { EngineError } from './errors';
import type { SourceProblem } from './protocol';
import { resolveRunConfig, type RunConfig } from './run-config';
import { modelHash } from './checkpoint';

export interface PreparedModel {
  modelPath: string;
  text: string;
  /** `name:` or the file name without `.nn.yaml`. */
  name: string;
  hash: string;
  model: ModelSpec;
  summary: ModelSummary;
  compiled: CompiledModel;
  run: RunConfig;
  /** Warnings (and infos) the analysis reported; training goes ahead with them. */
  warnings: SourceProblem[];
  /** 1-based line of a layer's id (or type) in the file. */
  lineOf(layer: string): number | undefined;
}

export function modelNameOf(model: ModelSpec | null, modelPath: string): string {
  const written = model?.name?.value;
  if (typeof written === 'string' && written.trim()) return written.trim();
  return path.basename(modelPath).replace(/\.nn\.ya?ml$/i, '').replace(/\.ya?ml$/i, '') || 'model';
}

export function prepareModel(modelPath: string, text: string, options: CompileOptions = {}): PreparedModel {
  const analysis = analyzeModel(text);
  const lines = new LineIndex(text);
  const problems: SourceProblem[] = analysis.diagnostics.map((d) => {
    const p = lines.position(d.range.start);
    return { severity: d.severity, line: p.line + 1, col: p.col + 1, message: d.message, code: d.code, layer: d.layer };
  });
  const errors = problems.filter((p) => p.severity === 'error');
  if (!analysis.model || !analysis.summary || errors.length > 0) {
    const first = errors[0];
    const count = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new EngineError('invalid_model', first ? `${first.message}${count}` : 'the file is not a model (a YAML mapping with layers:)', {
      file: modelPath,
      line: first?.line,
      col: first?.col,
      layer: first?.layer,
      problems: errors.length ? errors : undefined,
    });
  }
  const model = analysis.model;
  const summary = analysis.summary;
  const lineOf = (layer: string) => {
    const spec = model.layers.find((l) => l.id === layer);
    return spec ? lines.position(spec.idRange.start).line + 1 : undefined;
  };
  let compiled: CompiledModel;
  try {
    compiled = compileModel(summary, model, options);
  } catch (err) {
    const e = err as { name?: string; message?: string; layer?: string };
    if (e?.name === 'CompileError') {
      throw new EngineError('compile_failed', e.message ?? 'the model could not be compiled', { file: modelPath, layer: e.layer, line: e.layer ? lineOf(e.layer) : undefined });
    }
    throw err;
  }
  return {
    modelPath,
    text,
    name: modelNameOf(model, modelPath),
    hash: modelHash(text),
    model,
    summary,
    compiled,
    run: resolveRunConfig(model),
    warnings: problems.filter((p) => p.severity === 'warning'),
    lineOf,
  };
}
