// Bundles the extension-host suite (test/vscode/suite) into one CommonJS file for `extensionTestsPath`.
import * as esbuild from 'esbuild';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
export const suiteBundle = path.join(root, '.vscode-test/suite/index.js');

export async function bundleSuite(): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(root, 'test/vscode/suite/index.ts')],
    outfile: suiteBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // Both come from the host at run time: the editor API, and mocha from the project's node_modules.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}
