// Does the loss fit the output it applies to? Checks the output's shape and dtype against the
// loss (and against the labels the data source gives, when they are known), and warns when the
// output applies the softmax/sigmoid that the loss applies itself.
import type { Diagnostic, LayerSpec, ModelSpec, QuickFix, Range } from '../model/types';
import type { LayerInfo } from './types';
import dataLabelsJson from './data-labels.json';
import { removeEntry, removeLayer, replace } from './fixes';
import { fmtShape } from './shapes';
import { knownType } from './settings';

/**
 * What the labels of each data source look like (mirrors src/engine/data/sources.json): a class
 * count (fixed, or read from a parameter), or a task parameter saying classes or regression.
 */
interface DataLabels {
  classes?: number;
  classesParam?: string;
  taskParam?: string;
  task?: 'classification' | 'regression' | 'auto';
  /** The parameter naming the label column(s), for regression from a table. */
  columnsParam?: string;
}

const dataLabels = dataLabelsJson as Record<string, DataLabels>;

type LabelSpec = { kind: 'classes'; classes?: number; source: string } | { kind: 'columns'; columns: string[]; source: string };

function labelSpec(model: ModelSpec): LabelSpec | undefined {
  const source = model.data?.params.source?.value;
  if (typeof source !== 'string' || !Object.prototype.hasOwnProperty.call(dataLabels, source)) return undefined;
  const entry = dataLabels[source];
  const params = model.data!.params;
  if (entry.classes !== undefined) {
    const written = entry.classesParam ? params[entry.classesParam]?.value : undefined;
    const classes = typeof written === 'number' && Number.isInteger(written) && written > 0 ? written : entry.classes;
    return { kind: 'classes', classes, source };
  }
  const task = (entry.taskParam ? params[entry.taskParam]?.value : undefined) ?? entry.task;
  if (task === 'classification') return { kind: 'classes', source };
  if (task !== 'regression' || !entry.columnsParam) return undefined;
  const label = params[entry.columnsParam]?.value;
  if (label === undefined) return { kind: 'columns', columns: ['the last column'], source };
  if (typeof label === 'string') return { kind: 'columns', columns: [label], source };
  if (Array.isArray(label) && label.length > 0 && label.every((c) => typeof c === 'string')) return { kind: 'columns', columns: label as string[], source };
  return undefined;
}

export interface LossFitInput {
  model: ModelSpec;
  text: string;
  layers: LayerInfo[];
  byId: Map<string, number>;
  /** Positions of the output layers. */
  outputs: number[];
}

export function checkLossFit({ model, text, layers, byId, outputs }: LossFitInput): Diagnostic[] {
  const written = model.loss?.type !== undefined;
  const lossType = written ? knownType('loss', model.loss) : 'cross_entropy';
  if (!lossType) return [];
  const out: Diagnostic[] = [];
  const outputParam = model.loss?.params.output;
  let target: number | undefined;
  if (outputParam && typeof outputParam.value === 'string') {
    const at = byId.get(outputParam.value);
    if (at === undefined) {
      out.push({
        severity: 'error',
        code: 'unknown-output',
        range: outputParam.range,
        message: `The loss applies to \`${outputParam.value}\`, but no layer has that id; use one of the outputs: ${outputs.map((i) => layers[i].spec.id).join(', ')}.`,
      });
      return out;
    }
    if (!outputs.includes(at)) {
      out.push({
        severity: 'error',
        code: 'loss-mismatch',
        range: outputParam.range,
        message: `The loss applies to \`${outputParam.value}\`, which is not a model output; add it to \`outputs:\` or name one of ${outputs.map((i) => `\`${layers[i].spec.id}\``).join(', ')}.`,
      });
      return out;
    }
    target = at;
  } else {
    if (outputs.length === 0) return out;
    target = outputs[0];
    if (outputs.length > 1 && model.loss) {
      out.push({
        severity: 'warning',
        code: 'ambiguous-output',
        range: model.loss.keyRange ?? model.loss.range,
        message: `The model has ${outputs.length} outputs (${outputs.map((i) => `\`${layers[i].spec.id}\``).join(', ')}) and the loss applies to the first; add \`output:\` to the loss to say which one, or list the one you mean in \`outputs:\`.`,
      });
    }
  }
  const layer = layers[target];
  out.push(...doubleActivation(lossType, layer, model, text));
  const shape = layer.output?.shape;
  if (!shape) return out;
  const id = layer.spec.id;
  const where: Range = written ? model.loss!.type!.range : layer.spec.idRange;
  const lossName = written ? lossType : `The default loss ${lossType} (no \`loss:\` given)`;
  // Without a written loss the model may not be meant for training yet: warn only.
  const severe: 'error' | 'warning' = written ? 'error' : 'warning';
  if (layer.output!.dtype === 'int64') {
    out.push({
      severity: severe,
      code: 'loss-mismatch',
      range: where,
      message: `${lossName} needs float values but \`${id}\` gives int64 ${fmtShape(shape)}; end the model with a Dense layer.`,
      layer: id,
    });
    return out;
  }
  const width = shape[shape.length - 1];
  const labels = labelSpec(model);
  const changeLoss = (to: string): QuickFix[] | undefined =>
    written ? [{ title: `Change the loss to ${to}`, edits: [replace(model.loss!.type!.range, to)] }] : undefined;
  const setUnits = (units: number): QuickFix[] | undefined => {
    const sv = layer.spec.params.units;
    return sv && typeof sv.value === 'number' ? [{ title: `Set units: ${units}`, edits: [replace(sv.range, String(units))] }] : undefined;
  };
  const diag = (severity: 'error' | 'warning', message: string, fixes?: QuickFix[]): Diagnostic => ({
    severity: written ? severity : 'warning',
    code: 'loss-mismatch',
    range: where,
    message,
    layer: id,
    fixes,
  });
  if (lossType === 'cross_entropy') {
    if (width === 1) {
      out.push(
        diag(
          'error',
          written
            ? `${lossName} needs one logit per class but \`${id}\` gives ${fmtShape(shape)}; for two classes with one output use binary_cross_entropy, or give \`${id}\` one unit per class.`
            : `${lossName} needs one logit per class but \`${id}\` gives ${fmtShape(shape)}; add \`loss: binary_cross_entropy\` for two classes or \`loss: mse\` for regression.`,
          changeLoss('binary_cross_entropy'),
        ),
      );
    } else if (labels?.kind === 'classes' && labels.classes !== undefined && width !== labels.classes) {
      const fewer = width < labels.classes;
      out.push(
        diag(
          fewer ? 'error' : 'warning',
          `The ${labels.source} data has ${labels.classes} classes but \`${id}\` gives ${width} logits${fewer ? ', so some labels have no logit' : ''}; give \`${id}\` ${labels.classes} units.`,
          setUnits(labels.classes),
        ),
      );
    }
  } else if (lossType === 'binary_cross_entropy') {
    if (width !== 1) {
      out.push(
        diag(
          'error',
          `${lossName} takes one logit per sample but \`${id}\` gives ${fmtShape(shape)}; use cross_entropy for ${width} classes, or give \`${id}\` 1 unit.`,
          changeLoss('cross_entropy'),
        ),
      );
    } else if (labels?.kind === 'classes' && labels.classes !== undefined && labels.classes > 2) {
      out.push(
        diag(
          'error',
          `The ${labels.source} data has ${labels.classes} classes but binary_cross_entropy handles two; use cross_entropy and give \`${id}\` ${labels.classes} units.`,
          changeLoss('cross_entropy'),
        ),
      );
    }
  } else if (labels?.kind === 'classes') {
    out.push(
      diag(
        'warning',
        `${lossName} compares \`${id}\` with real-valued targets but the ${labels.source} data gives class labels; use cross_entropy for classification${
          dataLabels[labels.source].taskParam ? `, or set \`${dataLabels[labels.source].taskParam}: regression\` in \`data:\` for real-valued targets` : ''
        }.`,
        changeLoss('cross_entropy'),
      ),
    );
  } else if (labels?.kind === 'columns') {
    const n = labels.columns.length;
    const elems = shape.reduce((a, b) => a * b, 1);
    if (elems !== n) {
      out.push(
        diag(
          'error',
          `${lossName} compares \`${id}\` ${fmtShape(shape)} with ${n} label column${n === 1 ? '' : 's'} (${labels.columns.join(', ')}); make \`${id}\` give [${n}].`,
          shape.length === 1 ? setUnits(n) : undefined,
        ),
      );
    }
  }
  return out;
}

/**
 * cross_entropy applies softmax and binary_cross_entropy a sigmoid to the logits. An output that
 * applies it too is redundant (training takes the values before a last-axis softmax or a sigmoid
 * as the logits) or, for a softmax over another axis, normalises twice.
 */
function doubleActivation(lossType: string, layer: LayerInfo, model: ModelSpec, text: string): Diagnostic[] {
  const fn = lossType === 'cross_entropy' ? 'softmax' : lossType === 'binary_cross_entropy' ? 'sigmoid' : undefined;
  if (!fn) return [];
  const spec = layer.spec;
  const code = `double-${fn}`;
  if (spec.params.activation?.value === fn) {
    const sv = spec.params.activation;
    return [
      {
        severity: 'warning',
        code,
        range: sv.range,
        message: `\`${spec.id}\` ends with activation: ${fn}, but ${lossType} applies ${fn} itself (training skips this one and uses the values before it); remove it so \`${spec.id}\` gives the logits the loss expects.`,
        layer: spec.id,
        fixes: [{ title: `Remove activation: ${fn}`, edits: [removeEntry(text, sv)] }],
      },
    ];
  }
  const kind = fn === 'softmax' ? 'Softmax' : 'Sigmoid';
  if (layer.kind !== kind) return [];
  const edit = referencedByName(spec, model) ? undefined : removeLayer(text, spec);
  const rank = layer.output?.shape.length;
  const axis = layer.attrs.axis;
  const otherAxis = kind === 'Softmax' && rank !== undefined && typeof axis === 'number' && axis !== rank - 1 && axis !== -1;
  return [
    {
      severity: 'warning',
      code,
      range: spec.kindRange,
      message: otherAxis
        ? `The output \`${spec.id}\` applies Softmax over axis ${axis} and ${lossType} applies softmax again over the last axis, so the loss sees probabilities instead of logits; remove the Softmax layer.`
        : `The output \`${spec.id}\` is a ${kind} layer, but ${lossType} applies ${fn} itself (training skips this layer and uses its input); remove it and let the layer before it be the output.`,
      layer: spec.id,
      fixes: edit ? [{ title: `Remove the ${kind} layer`, edits: [edit] }] : undefined,
    },
  ];
}

/** True when some text names the layer's id (so removing the layer would leave a dangling name). */
function referencedByName(spec: LayerSpec, model: ModelSpec): boolean {
  if (model.outputsRange && model.outputs?.some((r) => r.id === spec.id)) return true;
  if (model.loss?.params.output?.value === spec.id) return true;
  return model.layers.some((l) => !l.implicitInputs && l.inputs.some((r) => r.id === spec.id));
}
