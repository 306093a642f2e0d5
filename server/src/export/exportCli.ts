import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createPipeline } from '../ingest/pipeline.js';
import { EventStore } from '../store/eventStore.js';
import { StoreOpenError } from '../store/errors.js';
import { Annotations } from '../ingest/annotations.js';
import { exportAsyncApi, exportCapture, exportDocs, exportMermaid, type ExportResult } from './exporter.js';

const EXPORT_FORMATS = ['ndjson', 'mermaid', 'asyncapi', 'markdown', 'html'] as const;
type Format = (typeof EXPORT_FORMATS)[number];

function buildExportCli(): Command {
  return new Command('flowscope export')
    .description(
      'Write documentation or a capture from what Flowscope observed, from a running server or a data directory (for CI)',
    )
    .addOption(new Option('--format <format>', 'what to write').choices(EXPORT_FORMATS).makeOptionMandatory())
    .addOption(new Option('--server <url>', 'a running Flowscope, e.g. http://127.0.0.1:7420').env('FLOWSCOPE_URL'))
    .addOption(new Option('--token <token>', 'its access token').env('FLOWSCOPE_TOKEN'))
    .addOption(new Option('--data-dir <path>', 'a data directory instead of a server (Flowscope may be stopped)'))
    .addOption(new Option('--flow <id>', 'ndjson, mermaid: one flow'))
    .addOption(new Option('--kind <kind>', 'mermaid: one flow kind (its canonical path)'))
    .addOption(new Option('--filter <expression>', 'ndjson: events matching a filter expression'))
    .addOption(
      new Option('--limit <events>', 'ndjson: at most this many events').argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('use a whole number above 0');
        return n;
      }),
    )
    .addOption(
      new Option('-o, --out <path>', 'write here instead of standard output (markdown: a directory, required)'),
    )
    .showHelpAfterError();
}

type Opts = {
  format: Format;
  server?: string;
  token?: string;
  dataDir?: string;
  flow?: string;
  kind?: string;
  filter?: string;
  limit?: number;
  out?: string;
};

async function fromServer(o: Opts): Promise<ExportResult> {
  const params = new URLSearchParams();
  for (const k of ['flow', 'kind', 'filter'] as const) if (o[k]) params.set(k, o[k] as string);
  if (o.limit) params.set('limit', String(o.limit));
  const url = `${(o.server ?? '').replace(/\/+$/, '')}/api/export/${o.format}?${params}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: o.token ? { authorization: `Bearer ${o.token}` } : {} });
  } catch (err) {
    throw new Error(`cannot reach ${o.server} (${(err as Error).message}); is Flowscope running there?`);
  }
  const text = await res.text();
  if (res.status === 401) throw new Error(`${o.server} refused the token: pass --token or set FLOWSCOPE_TOKEN`);
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message: string }).message;
    } catch {
      // not JSON: show the text
    }
    return { ok: false, status: res.status === 404 ? 404 : 400, error: { error: 'export-failed', message } };
  }
  if (o.format === 'markdown') {
    const bytes = Buffer.from(await res.arrayBuffer());
    return { ok: true, text: bytes, fileName: '', contentType: 'application/x-tar', files: untar(bytes) };
  }
  return { ok: true, text, fileName: '', contentType: res.headers.get('content-type') ?? '' };
}

function fromDataDir(o: Opts): ExportResult {
  const store = EventStore.open({
    dir: o.dataDir as string,
    retentionMs: Number.MAX_SAFE_INTEGER,
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  try {
    const pipeline = createPipeline({ bufferSize: 200_000, maxPayloadBytes: 256 * 1024, store });
    pipeline.ingest.restore();
    // Nothing ticks here by itself, and the recording is over: let domain time pass once, past the
    // settling time of the last event, so every flow settles and the flow kinds are learned.
    const settled = (store.lastReceivedAt() ?? 0) + pipeline.observers.correlator.options.settleMs + 1;
    pipeline.clock.runAll(Math.max(Date.now(), settled));
    const { queries } = pipeline;
    const topology = queries.topology();
    const notes = new Annotations(store).descriptions();
    const now = Date.now();
    if (o.format === 'ndjson') return exportCapture(queries, o, now);
    if (o.format === 'mermaid') return exportMermaid(queries, topology, o, notes);
    if (o.format === 'markdown' || o.format === 'html') return exportDocs(queries, topology, o.format, now, notes);
    return exportAsyncApi(queries, topology, [], now, notes);
  } finally {
    // Inline writer: everything is written and closed before this returns.
    void store.close();
  }
}

/** `flowscope export …`: returns the process exit code. */
export async function runExport(argv: readonly string[]): Promise<number> {
  const cli = buildExportCli();
  cli.parse([...argv], { from: 'user' });
  const o = cli.opts<Opts>();
  if (o.format === 'markdown' && !o.out) {
    process.stderr.write('flowscope export: --format markdown writes several files: give --out <directory>\n');
    return 2;
  }
  if (!o.server === !o.dataDir) {
    process.stderr.write('flowscope export: give either --server <url> or --data-dir <path>\n');
    return 2;
  }
  let result: ExportResult;
  try {
    result = o.server ? await fromServer(o) : fromDataDir(o);
  } catch (err) {
    const hint = err instanceof StoreOpenError ? `\n  ${err.hint}` : '';
    process.stderr.write(`flowscope export: ${(err as Error).message}${hint}\n`);
    return 1;
  }
  if (!result.ok) {
    process.stderr.write(
      `flowscope export: ${result.error.message}${result.error.hint ? `\n  ${result.error.hint}` : ''}\n`,
    );
    return 1;
  }
  if (o.format === 'markdown' && o.out) {
    const files =
      result.files ?? untar(Buffer.isBuffer(result.text) ? result.text : Buffer.from(result.text, 'binary'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(o.out, path)), { recursive: true });
      writeFileSync(join(o.out, path), text);
    }
    process.stderr.write(`flowscope export: wrote ${Object.keys(files).length} Markdown files to ${o.out}\n`);
  } else if (o.out) writeFileSync(o.out, result.text);
  else process.stdout.write(result.text);
  return 0;
}

/** Files of a ustar archive as written by tarArchive (regular files only). */
function untar(bytes: Buffer): Record<string, string> {
  const files: Record<string, string> = {};
  let at = 0;
  while (at + 512 <= bytes.length) {
    const header = bytes.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
    if (name.split('/').includes('..') || name.startsWith('/')) throw new Error(`unsafe path in archive: ${name}`);
    files[name] = bytes.subarray(at + 512, at + 512 + size).toString('utf8');
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
