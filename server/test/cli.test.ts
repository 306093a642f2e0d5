import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

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
