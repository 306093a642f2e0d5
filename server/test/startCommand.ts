import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, Statements } from '../src/store/connection.js';
import { Dictionaries, readBlock } from '../src/store/decodedBlock.js';
import type { SourceStatus } from '@flowscope/shared';
import { eventually, TOKEN } from './helpers.js';

/**
 * The README's start command as a terminal runs it, for the Ctrl-C tests: in a process group of
 * its own, where SIGINT goes to the whole group (npm and its shell, the launcher and the server).
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const running: ChildProcess[] = [];

/** After each test: whatever a failed test left running is killed, with its whole group. */
export function killLeftovers() {
  for (const child of running.splice(0)) if (groupAlive(child)) process.kill(-(child.pid ?? 0), 'SIGKILL');
}

/** Whether any process of the child's process group is still running. */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-(child.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The start command in a process group of its own, as a terminal starts it: `npm start -- <args>`
 * (the README's), or `node scripts/run.mjs start <args>` (what npm runs, without npm's own exit
 * status in the way).
 */
export function start(via: 'npm' | 'node', args: string[]) {
  const [cmd, ...pre] = via === 'npm' ? ['npm', 'start', '--'] : [process.execPath, 'scripts/run.mjs', 'start'];
  const child = spawn(cmd ?? 'npm', [...pre, ...args], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FLOWSCOPE_LOG_LEVEL: 'warn' },
  });
  running.push(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null; groupAlive: boolean }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, groupAlive: groupAlive(child) })),
  );
  const url = eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`${via} start exited (${child.exitCode}):\n${out}`);
      return /Open (http:\/\/\S+?)\/\?token=/.exec(out)?.[1];
    },
    180_000, // the first start of a checkout builds
    'the printed URL',
  );
  /** Ctrl-C in the terminal: SIGINT to every process of the group (throws if none is left). */
  const ctrlC = () => process.kill(-(child.pid ?? 0), 'SIGINT');
  /** Resolves the moment `text` shows up in the output (not polled: the stop may be short). */
  const printed = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!out.includes(text)) return;
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      check();
    });
  return { child, url, exited, ctrlC, printed, output: () => out };
}

export async function received(url: string): Promise<number> {
  const res = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await res.json()) as { sources: SourceStatus[] };
  return body.sources.reduce((n, s) => n + s.eventsReceived, 0);
}

/**
 * Events in the store, read after Flowscope exited (read-only; the Node 24 run loads its own
 * build): every block decompressed, read as the store reads them (ADR 0021).
 */
export function storedEvents(dataDir: string): { rows: number; ids: number } {
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const s = new Statements(db);
    const dictionaries = new Dictionaries(s);
    const blocks = db.prepare('SELECT id FROM blocks').pluck().all() as number[];
    // Every event of every block, read as the store reads them (duplicates would count twice).
    const ids = blocks.flatMap(
      (id) =>
        readBlock(s, dictionaries, id)
          ?.all()
          .map((e) => e.id) ?? [],
    );
    return { rows: ids.length, ids: new Set(ids).size };
  } finally {
    db.close();
  }
}
