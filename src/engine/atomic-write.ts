// Writes a file so that readers only ever see the old or the complete new content: the bytes
// go to a temporary file in the same folder (same file system, so rename is atomic), are
// flushed to disk, and the temporary file is renamed over the target.
import * as fs from 'fs';
import * as path from 'path';

export function writeFileAtomic(target: string, chunks: Uint8Array | readonly Uint8Array[]): void {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const parts = chunks instanceof Uint8Array ? [chunks] : chunks;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w', 0o644);
    for (const part of parts) {
      let written = 0;
      while (written < part.byteLength) written += fs.writeSync(fd, part, written, part.byteLength - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncFolder(dir);
}

/** Makes the rename itself durable where the platform allows opening folders (not Windows). */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on folders; the data itself is already flushed.
  }
}
