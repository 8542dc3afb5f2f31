// onnxruntime-node, loaded lazily so that hosts importing engine types (the extension, the CLI's
// check command) do not pay for the native module, and so a missing binary becomes a clear error.
import type * as OrtModule from 'onnxruntime-node';

let loaded: typeof OrtModule | undefined;

export const ort: typeof OrtModule = new Proxy({} as typeof OrtModule, {
  get(_target, key) {
    if (!loaded) loaded = require('onnxruntime-node') as typeof OrtModule;
    return (loaded as unknown as Record<PropertyKey, unknown>)[key];
  },
});

export function ortVersion(): string {
  try {
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
