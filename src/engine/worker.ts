// Entry point of the training worker process (forked by EngineClient). Requests arrive as IPC
// messages; every one gets exactly one response, events stream in between. Nothing thrown
// inside escapes: failures become structured `error` events / failed responses.
import { Engine } from './engine';
import { toErrorInfo } from './errors';
import { ortVersion } from './ort';
import type { EngineEvent, WorkerMessage } from './protocol';
import { isRequest } from './protocol';

function send(message: WorkerMessage, then?: () => void): void {
  if (!process.send || !process.connected) {
    then?.();
    return;
  }
  try {
    process.send(message, undefined, {}, () => then?.());
  } catch {
    // The host went away; nothing left to tell.
    then?.();
  }
}

const emit = (event: EngineEvent) => send({ kind: 'event', event });
const engine = new Engine(emit);

process.on('message', (raw: unknown) => {
  if (!isRequest(raw)) {
    emit({ type: 'error', error: { code: 'bad_request', message: `the worker received a message that is not a request: ${JSON.stringify(raw)?.slice(0, 200)}` } });
    return;
  }
  engine.handle(raw).then(
    (response) => {
      if (raw.type === 'shutdown') send({ kind: 'response', ...response }, () => process.exit(0));
      else send({ kind: 'response', ...response });
    },
    (err: unknown) => send({ kind: 'response', type: 'response', id: raw.id, ok: false, error: toErrorInfo(err) }),
  );
});

process.on('uncaughtException', (err) => emit({ type: 'error', error: toErrorInfo(err) }));
process.on('unhandledRejection', (err) => emit({ type: 'error', error: toErrorInfo(err) }));
// Ctrl-C in a terminal reaches the whole process group: the host decides (the CLI asks for a
// stop that saves the last checkpoint), so the worker itself ignores it.
process.on('SIGINT', () => undefined);
// The host died or closed the channel: a worker on its own has no one to report to.
process.on('disconnect', () => {
  engine.stopAll().finally(() => process.exit(0));
});

emit({ type: 'ready', pid: process.pid, versions: { node: process.versions.node, onnxruntime: ortVersion() } });
