// The feature checks run by `npm run test:vscode` after the API suite and the language check: each
// drives the real workbench through one user journey in its own fresh copy of examples/ and
// writes screenshots under test-artifacts/vscode/<name>/. A feature adds its check here.
import type { BrowserContext } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { trainCheck } from './trainCheck';
import { graphCheck } from './graphCheck';
import { explainCheck } from './explainCheck';

export interface FeatureCheckContext {
  browser: BrowserContext;
  server: CodeServer;
  /** A fresh copy of examples/ for this check alone. */
  workspace: string;
  extensionPath: string;
  /** Folder for this check's screenshots and logs (exists). */
  artifacts: string;
  log: (message: string) => void;
}

export interface FeatureCheck {
  /** Short name, also the artifacts subfolder and the LAYERWISE_VSCODE_ONLY key. */
  name: string;
  /** What a pass proves, in one line. */
  description: string;
  run: (context: FeatureCheckContext) => Promise<void>;
}

export const featureChecks: FeatureCheck[] = [trainCheck, graphCheck, explainCheck];
