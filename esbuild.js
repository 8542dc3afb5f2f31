// Bundles each entry point separately: the extension host, the training worker, the CLI,
// the benchmark and every webview. `vscode` and `onnxruntime-node` stay external so that
// onnxruntime-node keeps its native folder layout inside the VSIX.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node-side bundles; an entry is built only once its source exists. */
const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/engine/worker.ts', out: 'worker' },
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'src/bench/main.ts', out: 'bench' },
];
/** Browser-side bundles, one per webview. */
const webEntries = ['graph', 'dashboard', 'explain'].map((name) => ({
  in: ['ts', 'tsx'].map((ext) => `webview/${name}/main.${ext}`).find((f) => fs.existsSync(f)) ?? `webview/${name}/main.ts`,
  out: `webview/${name}`,
}));

async function main() {
  const common = {
    bundle: true,
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
    outdir: 'dist',
  };
  const contexts = [];
  for (const e of nodeEntries.filter((e) => fs.existsSync(e.in))) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: [{ in: e.in, out: e.out }],
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        external: ['vscode', 'onnxruntime-node'],
        banner: e.banner ? { js: e.banner } : undefined,
      }),
    );
  }
  for (const e of webEntries.filter((e) => fs.existsSync(e.in))) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: [{ in: e.in, out: e.out }],
        platform: 'browser',
        target: 'es2022',
        format: 'iife',
        jsx: 'automatic',
        define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
        loader: { '.css': 'css', '.ttf': 'file' },
      }),
    );
  }
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = path.join('dist', 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
