// The Explain views' engine worker: its own EngineClient (the training controller keeps its
// client to itself), started on the first request and ended when the last view closes, so an
// idle editor holds no worker and no loaded data set for explanations.
import * as vscode from 'vscode';
import { EngineClient, type Outcome } from '../../engine/client';
import type { RequestBody, RequestType, ResultByType } from '../../engine/protocol';

export class ExplainEngine implements vscode.Disposable {
  private client: EngineClient | undefined;

  constructor(private readonly log: (message: string) => void) {}

  request<T extends RequestType>(body: Extract<RequestBody, { type: T }>): Promise<Outcome<ResultByType[T]>> {
    if (!this.client) {
      const client = new EngineClient();
      client.on('crashed', (c) => this.log(c.message));
      this.client = client;
    }
    return this.client.request(body);
  }

  /** Ends the worker (a later request starts a fresh one). */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.dispose();
  }

  dispose(): void {
    void this.release();
  }
}
