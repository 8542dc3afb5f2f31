// Session creation for the one-shot commands (eval, export, grad): provider choice from the
// request options, CPU fallback reported as a warning event.
import type { InferenceSession } from 'onnxruntime-node';
import type { EngineEvent, SessionRequestOptions } from './protocol';
import { chooseProvider, createSession } from './providers';

export async function openSession(model: Uint8Array, options: SessionRequestOptions, what: string, emit: (e: EngineEvent) => void): Promise<InferenceSession> {
  const choice = chooseProvider(options.provider);
  const created = await createSession(model, { provider: choice.provider, threads: options.threads }, what);
  if (created.fallback) emit({ type: 'warning', code: 'provider_fallback', message: created.fallback });
  return created.session;
}
