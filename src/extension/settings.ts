// The extension's settings (contributed in package.json under `layerwise.*`).
import * as vscode from 'vscode';

export interface LanguageSettings {
  validationEnabled: boolean;
  debounceMs: number;
  showCosts: boolean;
}

export function readSettings(): LanguageSettings {
  const c = vscode.workspace.getConfiguration('layerwise');
  const debounce = c.get<number>('validation.debounceMs', 150);
  return {
    validationEnabled: c.get<boolean>('validation.enabled', true),
    debounceMs: Number.isFinite(debounce) ? Math.max(0, Math.min(5000, debounce)) : 150,
    showCosts: c.get<boolean>('hover.showCosts', true),
  };
}

export const LANGUAGE_ID = 'layerwise-model';
/**
 * Our language, and `*.nn.yaml` files a user has associated with plain YAML (so that the YAML
 * extension applies the bundled JSON Schema): Layerwise's own features serve both.
 */
export const selector: vscode.DocumentSelector = [{ language: LANGUAGE_ID }, { language: 'yaml', pattern: '**/*.nn.yaml' }];

export function isModelDocument(document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID || (document.languageId === 'yaml' && document.fileName.endsWith('.nn.yaml'));
}
