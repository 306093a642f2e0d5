import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeOpenError, StoreOpenError } from './errors.js';
import { EventStore } from './eventStore.js';

/** Node's own error for a module built for another ABI (here: built by Node 20, loaded by Node 24). */
function abiMismatch(): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(
    "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 137. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
  );
  err.code = 'ERR_DLOPEN_FAILED';
  return err;
}

describe('describeOpenError', () => {
  it('names a native module built for another Node, with this Node and how to rebuild it', () => {
    const e = describeOpenError(abiMismatch(), '/home/me/.flowscope/data');
    expect(e.reason).toBe('native-module');
    expect(e.message).toContain('better-sqlite3');
    expect(e.message).toContain(process.version);
    expect(e.message).toContain('module version 115; this Node needs 137');
    expect(e.message).not.toMatch(/data directory/);
    expect(e.hint).toContain('npm start');
    expect(e.hint).toContain('pnpm rebuild better-sqlite3');
    expect(e.hint).not.toMatch(/--data-dir/);
  });

  it('names a native module that was never built', () => {
    const e = describeOpenError(
      new Error('Could not locate the bindings file. Tried:\n → /app/build/better_sqlite3.node'),
      '/data',
    );
    expect(e.reason).toBe('native-module');
    expect(e.message).toContain('Could not locate the bindings file');
  });

  it('still tells an unwritable directory and a damaged file apart', () => {
    const denied: NodeJS.ErrnoException = new Error("EACCES: permission denied, mkdir '/data'");
    denied.code = 'EACCES';
    expect(describeOpenError(denied, '/data').reason).toBe('unwritable');
    const corrupt: NodeJS.ErrnoException = new Error('file is not a database');
    corrupt.code = 'SQLITE_NOTADB';
    expect(describeOpenError(corrupt, '/data').reason).toBe('corrupt');
  });
});

describe('EventStore.open with a native module that does not load', () => {
  const dirs: string[] = [];
  const saved = process.env.FLOWSCOPE_SQLITE_BINDING;
  afterEach(() => {
    if (saved === undefined) delete process.env.FLOWSCOPE_SQLITE_BINDING;
    else process.env.FLOWSCOPE_SQLITE_BINDING = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reports the module, not the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-native-'));
    dirs.push(dir);
    const binding = join(dir, 'better_sqlite3.node');
    writeFileSync(binding, 'not a shared object');
    process.env.FLOWSCOPE_SQLITE_BINDING = binding;
    let error: unknown;
    try {
      await EventStore.open({ dir: join(dir, 'data'), retentionMs: 1000, maxBytes: 1024 ** 2 }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).reason).toBe('native-module');
    expect((error as StoreOpenError).message).toContain(process.version);
  });
});
