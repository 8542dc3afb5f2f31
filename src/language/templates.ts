// The model templates offered by "New Model from Template": read from templates/*.nn.yaml, listed
// and labelled by templates/templates.json, and turned into a new file's text and name.
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';

export interface ModelTemplate {
  /** File name inside the templates folder, e.g. `mlp.nn.yaml`. */
  file: string;
  /** Short name for the picker, e.g. `MLP`. */
  label: string;
  /** What the template is built from, e.g. the layers and the data set. */
  detail: string;
  /** The template's own `description:`. */
  description: string;
  /** The whole file. */
  text: string;
}

export interface TemplateList {
  templates: ModelTemplate[];
  /** Templates that could not be read, as sentences. */
  problems: string[];
}

export const MODEL_SUFFIX = '.nn.yaml';

interface IndexEntry {
  file: string;
  label: string;
  detail: string;
}

function readIndex(dir: string, problems: string[]): IndexEntry[] {
  const indexFile = path.join(dir, 'templates.json');
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    if (!Array.isArray(raw)) throw new Error('it is not a list');
    return raw.filter(
      (e): e is IndexEntry => typeof e?.file === 'string' && typeof e?.label === 'string' && typeof (e.detail ?? '') === 'string',
    );
  } catch (e) {
    // Without the index every template file is still offered, labelled by its file name.
    problems.push(`${indexFile} could not be read (${e instanceof Error ? e.message : String(e)}).`);
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir).filter((f) => f.endsWith(MODEL_SUFFIX)).sort();
    } catch {
      problems.push(`The templates folder ${dir} could not be listed.`);
    }
    return files.map((file) => ({ file, label: file.slice(0, -MODEL_SUFFIX.length), detail: '' }));
  }
}

/** The templates in `dir`, in the order of templates.json. */
export function loadTemplates(dir: string): TemplateList {
  const problems: string[] = [];
  const templates: ModelTemplate[] = [];
  for (const entry of readIndex(dir, problems)) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, entry.file), 'utf8');
    } catch (e) {
      problems.push(`Template ${entry.file} could not be read (${e instanceof Error ? e.message : String(e)}).`);
      continue;
    }
    const doc = parseDocument(text);
    const description = doc.get('description');
    templates.push({
      file: entry.file,
      label: entry.label,
      detail: entry.detail ?? '',
      description: typeof description === 'string' ? description : '',
      text,
    });
  }
  return { templates, problems };
}

/** The template's text with `name:` set to `name` (added at the top when the template has none). */
export function instantiateTemplate(template: ModelTemplate, name: string): string {
  const safe = /^[A-Za-z0-9_][\w.-]*$/.test(name) ? name : JSON.stringify(name);
  const nameLine = /^name:[ \t]*([^#\n]*?)([ \t]*#.*)?$/m;
  if (nameLine.test(template.text)) return template.text.replace(nameLine, (_m, _v, comment) => `name: ${safe}${comment ?? ''}`);
  return `name: ${safe}\n${template.text}`;
}

/**
 * The file name for what the user typed: `.nn.yaml` is added when missing; an error sentence when
 * the name cannot be a file name in the chosen folder.
 */
export function modelFileName(input: string): { fileName: string } | { error: string } {
  const name = input.trim();
  if (name.length === 0) return { error: 'Type a name for the model file.' };
  if (/[\\/:*?"<>|\u0000-\u001f]/.test(name)) return { error: 'A file name cannot contain \\ / : * ? " < > | or control characters.' };
  if (name === '.' || name === '..') return { error: 'Type a file name, not a folder.' };
  const base = name.endsWith(MODEL_SUFFIX) ? name.slice(0, -MODEL_SUFFIX.length) : name.replace(/\.ya?ml$/, '');
  if (base.length === 0 || base.startsWith('.')) return { error: 'The name needs at least one character before .nn.yaml and must not start with a dot.' };
  return { fileName: base + MODEL_SUFFIX };
}

/** The model name a file name implies: the file name without `.nn.yaml`. */
export function modelNameOf(fileName: string): string {
  const base = path.basename(fileName);
  return base.endsWith(MODEL_SUFFIX) ? base.slice(0, -MODEL_SUFFIX.length) : base;
}

/** `<stem>.nn.yaml`, or `<stem>-2.nn.yaml`, `<stem>-3.nn.yaml` ... — the first that does not exist. */
export function freeFileName(stem: string, exists: (fileName: string) => boolean): string {
  let candidate = `${stem}${MODEL_SUFFIX}`;
  for (let n = 2; exists(candidate) && n < 10000; n++) candidate = `${stem}-${n}${MODEL_SUFFIX}`;
  return candidate;
}
