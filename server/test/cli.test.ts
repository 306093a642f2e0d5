import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowSummary } from '@flowscope/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope, TOKEN } from './helpers.js';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the real CLI entry point (TypeScript sources through tsx), as a user would run flowscope. */
function flowscope(...args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: serverDir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, FLOWSCOPE_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, without blocking: a server in this process must keep answering meanwhile. */
function flowscopeAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args], {
      cwd: serverDir,
      env: { ...process.env, FLOWSCOPE_LOG_LEVEL: 'silent', FLOWSCOPE_TOKEN: TOKEN },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('flowscope export', () => {
  it('writes Mermaid, AsyncAPI, Markdown, HTML and a capture from a data directory, with Flowscope stopped', async () => {
    const dataDir = join(scratch, 'history');
    const server = await startFlowscope(['--demo', '--demo-rate', '20', '--data-dir', dataDir]);
    let flowId = '';
    try {
      const { body } = await eventually(
        async () => {
          const r = await api<{ flows: FlowSummary[] }>(server, '/api/flows');
          return r.body.flows.length >= 5 ? r : undefined;
        },
        30_000,
        'five flows',
      );
      flowId = body.flows[0]?.id ?? '';
    } finally {
      await server.close();
    }
    const map = await flowscopeAsync('export', '--format', 'mermaid', '--data-dir', dataDir);
    expect(map.err).toBe('');
    expect(map.out).toMatch(/^flowchart LR\n/);
    expect(map.out).toContain('order-service');
    const flow = await flowscopeAsync('export', '--format', 'mermaid', '--flow', flowId, '--data-dir', dataDir);
    expect(flow.out).toMatch(/^sequenceDiagram\n/);
    const out = join(scratch, 'asyncapi.json');
    const asyncapi = await flowscopeAsync('export', '--format', 'asyncapi', '--data-dir', dataDir, '--out', out);
    expect(asyncapi.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ asyncapi: '3.0.0' });
    const docs = join(scratch, 'docs');
    const md = await flowscopeAsync('export', '--format', 'markdown', '--data-dir', dataDir, '--out', docs);
    expect(md.err).toMatch(/^flowscope export: wrote \d+ Markdown files to /);
    expect(readFileSync(join(docs, 'README.md'), 'utf8')).toMatch(
      /^# Observed event flows\n[\s\S]*```mermaid\nflowchart LR/,
    );
    expect(readFileSync(join(docs, 'channels', 'shop-orders.md'), 'utf8')).toContain('# Channel: orders');
    // Nothing ticks offline by itself: the flow kinds are learned from history all the same.
    const kinds = readdirSync(join(docs, 'kinds')).map((f) => readFileSync(join(docs, 'kinds', f), 'utf8'));
    expect(kinds.join('\n')).toContain('# Flow kind: order.placed');
    const html = await flowscopeAsync('export', '--format', 'html', '--data-dir', dataDir);
    expect(html.out).toMatch(/^<!doctype html>/);
    expect(html.out).toContain('<h2>Channel: orders</h2>');
    const capture = await flowscopeAsync('export', '--format', 'ndjson', '--flow', flowId, '--data-dir', dataDir);
    const lines = capture.out.trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'flowscope-capture', selection: `flow ${flowId}` });
    expect(lines.length).toBeGreaterThan(1);
  });

  it('asks a running server, and says what is wrong when the flow or the token is', async () => {
    const server = await startFlowscope(['--demo', '--demo-rate', '20']);
    try {
      await eventually(
        async () =>
          (await api<{ flows: FlowSummary[] }>(server, '/api/flows')).body.flows.length > 0 ? true : undefined,
        30_000,
        'a flow',
      );
      const ok = await flowscopeAsync('export', '--format', 'ndjson', '--limit', '3', '--server', server.url);
      expect(ok.code).toBe(0);
      expect(ok.out.trim().split('\n')).toHaveLength(4);
      const missing = await flowscopeAsync('export', '--format', 'mermaid', '--flow', 'nope', '--server', server.url);
      expect(missing.code).toBe(1);
      expect(missing.err).toBe('flowscope export: No flow with id nope.\n');
      const refused = await flowscopeAsync(
        'export',
        '--format',
        'asyncapi',
        '--server',
        server.url,
        '--token',
        'wrong-token-wrong-token',
      );
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/refused the token/);
    } finally {
      await server.close();
    }
    const neither = await flowscopeAsync('export', '--format', 'asyncapi');
    expect(neither.code).toBe(2);
    expect(neither.err).toMatch(/give either --server <url> or --data-dir <path>/);
  });
});

describe('flowscope CLI', () => {
  it('documents every option in --help', () => {
    const { code, out } = flowscope('--help');
    expect(code).toBe(0);
    for (const option of [
      '--host',
      '--port',
      '--token',
      '--demo',
      '--kafka',
      '--topics',
      '--from',
      '--cluster',
      '--data-dir',
      '--no-store',
      '--retention',
      '--max-db-size',
      '--key',
      '--max-payload',
      '--mask',
      '--group-id',
      '--group-service',
      '--group-refresh',
      '--schema-registry',
      '--producer-header',
      '--replay',
      '--replay-speed',
      'flowscope export --help',
    ]) {
      expect(out).toContain(option);
    }
  });

  it('refuses to bind beyond loopback without a chosen token, and says why', () => {
    const { code, err } = flowscope('--host', '0.0.0.0', '--port', '0');
    expect(code).toBe(2);
    expect(err).toMatch(/--host: binding to 0\.0\.0\.0 .*FLOWSCOPE_TOKEN/);
  });

  it('refuses a damaged data directory at startup with what to do', () => {
    const dir = join(scratch, 'corrupt');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'flowscope.db'), 'garbage '.repeat(200));
    const { code, err } = flowscope('--port', '0', '--data-dir', dir);
    expect(code).toBe(1);
    expect(err).toContain(`The data directory ${dir} holds a damaged or foreign database`);
    expect(err).toMatch(/Move the folder aside/);
  });

  it('points at the bad option for an invalid value', () => {
    const { code, err } = flowscope('--retention', 'forever');
    expect(code).not.toBe(0);
    expect(err).toMatch(/"forever" is not a duration/);
  });
});
