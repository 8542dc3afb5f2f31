// Messages between the host and the "Explain Predictions" webview. The view asks for the model's
// predictions on a split (to choose samples) and for explanations; the host forwards both to the
// engine worker and answers with the same request id. Weights are named by an id from the list
// the host offered, never by a path the view makes up.
import type { ExplainIndexResult, ExplainOptions, ExplainResult, ExplainSplit } from '../explain/types';

/** A set of weights the view may explain: a run's checkpoint, or the model's initial weights. */
export interface WeightsChoice {
  /** Opaque id the view sends back. */
  id: string;
  /** `2024-05-01 12:30:05 · best.ckpt`, or `Initial weights (not trained)`. */
  label: string;
  /** The run's final numbers, or why these weights say little. */
  detail: string;
  trained: boolean;
}

/** Why the view cannot explain, with what the user can do about it. */
export interface Blocked {
  reason: 'untrusted' | 'noModel';
  message: string;
}

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: { message: string; code?: string; line?: number; layer?: string } };

export type HostToExplain =
  /** Everything the view needs to start: the model, the weights to choose from and which is chosen. */
  | { type: 'init'; model: { name: string; file: string }; weights: WeightsChoice[]; selected: string; blocked?: Blocked }
  /** The list of weights changed (a run finished or was deleted); `selected` is kept when it still exists. */
  | { type: 'weights'; weights: WeightsChoice[]; selected: string }
  | { type: 'indexResult'; id: number; outcome: Outcome<ExplainIndexResult> }
  | { type: 'explainResult'; id: number; outcome: Outcome<ExplainResult> }
  /** The image file the user picked (answering `pickImage`), as a data URL; `ok: false` when cancelled or unreadable. */
  | { type: 'image'; id: number; outcome: Outcome<{ name: string; dataUrl: string }> };

export type ExplainToHost =
  | { type: 'ready' }
  | { type: 'index'; id: number; weights: string; split: ExplainSplit }
  /** Explain sample `sample` of `split`, or `input` (the data's own units, flat); one of the two. */
  | { type: 'explain'; id: number; weights: string; split: ExplainSplit; sample?: number; input?: number[]; explain: ExplainOptions }
  /** Ask the user for an image file (the host's file dialog) and send it back decoded-ready. */
  | { type: 'pickImage'; id: number }
  | { type: 'manageTrust' }
  /** Train the model (there are no trained weights yet). */
  | { type: 'train' };
