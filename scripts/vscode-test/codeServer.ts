// Starting and stopping code-server (installed by install-code-server.sh) for the in-editor tests.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export const codeServerRoot = path.resolve(__dirname, '../../.vscode-test/code-server');
const entry = path.join(codeServerRoot, 'node_modules/code-server/out/node/entry.js');

const workbenchSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
};

export interface CodeServer {
  url: string;
  process: ChildProcess;
  logFile: string;
}

/** A TCP port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts code-server on 127.0.0.1 with its own user-data, extensions and config under `stateDir`. */
export async function startCodeServer(stateDir: string, timeoutMs: number): Promise<CodeServer> {
  if (!fs.existsSync(entry)) throw new Error(`code-server is not installed (${entry}); run scripts/vscode-test/install-code-server.sh`);
  const port = await freePort();
  const logFile = path.join(stateDir, 'code-server.log');
  const configFile = path.join(stateDir, 'config.yaml');
  fs.writeFileSync(configFile, '');
  // No welcome page or tips over the editors the tests look at.
  const userSettings = path.join(stateDir, 'user-data/User/settings.json');
  fs.mkdirSync(path.dirname(userSettings), { recursive: true });
  fs.writeFileSync(userSettings, JSON.stringify(workbenchSettings, null, 2));
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      entry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--config', configFile,
      '--user-data-dir', path.join(stateDir, 'user-data'),
      '--extensions-dir', path.join(stateDir, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    // Its own process group, so that stopping it also ends the extension hosts it forks.
    { detached: true, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, process: child, logFile };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      stopProcessGroup(child);
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ends a detached child and everything in its process group: TERM, then KILL after `graceMs`. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  } else {
    // The server is gone; end anything of its group that outlived it.
    signal('SIGKILL');
  }
}

/** The workbench URL that opens `folder`, loads the extension at `extensionPath` and, when given, runs a test module. */
export function workbenchUrl(server: CodeServer, folder: string, extensionPath: string, testsModule?: string): string {
  // The web workbench parses these as URIs; files on the server are vscode-remote URIs of its authority.
  const remote = (p: string) => `vscode-remote://${new URL(server.url).host}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsModule) payload.push(['extensionTestsPath', remote(testsModule)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
