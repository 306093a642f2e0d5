import { basename } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import type { SourcePlugin } from '../plugin.js';
import { FileSource } from './fileSource.js';

export type FileConfig = { readonly kind: 'file'; readonly path: string; readonly speed: 'max' | number };

function speed(v: string): 'max' | number {
  if (v === 'max') return v;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('use max or a positive number such as 1 or 10');
  return n;
}

/** A capture (NDJSON from `flowscope export`) replayed as a source. */
export const filePlugin: SourcePlugin<FileConfig> = {
  kind: 'file',
  options: () => [
    new Option('--replay <capture>', 'replay a capture (NDJSON from flowscope export) as a source').env(
      'FLOWSCOPE_REPLAY',
    ),
    new Option('--replay-speed <speed>', 'max (as fast as possible) or a multiple of real time, e.g. 1 or 10')
      .default('max')
      .argParser(speed),
  ],
  resolve(ctx) {
    const path = ctx.opts.replay as string | undefined;
    return {
      configs: path ? [{ kind: 'file', path, speed: ctx.opts.replaySpeed as 'max' | number }] : [],
      errors: [],
    };
  },
  configSchema: z.object({
    kind: z.literal('file'),
    path: z.string().min(1),
    speed: z.union([z.literal('max'), z.number().positive()]),
  }),
  sourceId: (c) => `file:${basename(c.path)}`,
  describe: (c) => `the capture ${c.path}`,
  create: (c) => new FileSource(c),
};
