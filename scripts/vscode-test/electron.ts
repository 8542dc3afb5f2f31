// The same extension-host suite under VS Code desktop, for machines that can download it
// (`npx tsx scripts/vscode-test/electron.ts`). Not used in CI, which has no route to the download.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { bundleSuite, suiteBundle } from './buildSuite';

const root = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  await bundleSuite();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'layerwise-electron-'));
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  const resultFile = path.join(workspace, '.layerwise-vscode-result.json');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: suiteBundle,
      extensionTestsEnv: { LAYERWISE_VSCODE_RESULT: resultFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } finally {
    if (fs.existsSync(resultFile)) console.log(fs.readFileSync(resultFile, 'utf8'));
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
