// The "Layerwise" log channel, created when something first writes to it.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function layerwiseLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Layerwise', { log: true });
  return channel;
}

export function disposeLayerwiseLog(): void {
  channel?.dispose();
  channel = undefined;
}
