import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarArchive } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';

describe('tar archive of the Markdown bundle', () => {
  it('is read back by the system tar exactly', () => {
    const files = {
      'README.md': '# Index\n',
      'kinds/order.md': `# Order ✓\n${'x'.repeat(1500)}\n`,
      'channels/a-b.md': '',
    };
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-tar-'));
    writeFileSync(join(dir, 'docs.tar'), tarArchive(files, Date.UTC(2026, 10, 22)));
    const r = spawnSync('tar', ['-xf', 'docs.tar'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const [path, text] of Object.entries(files)) expect(readFileSync(join(dir, path), 'utf8')).toBe(text);
  });

  it('refuses paths that would leave the folder', () => {
    expect(() => tarArchive({ '../x.md': '' }, 0)).toThrow(/relative/);
  });
});
