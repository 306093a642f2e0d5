import { Option } from 'commander';
import { z } from 'zod';
import { num } from '../../configValues.js';
import type { SourcePlugin } from '../plugin.js';
import { DemoSource } from './demoSource.js';

export type DemoConfig = { readonly kind: 'demo'; readonly ordersPerSecond: number };

const demoFileSchema = z
  .object({ enabled: z.boolean().optional(), ordersPerSecond: z.number().positive().max(1000).optional() })
  .strict();

/** The embedded demo shop: runs when nothing else is configured, or with --demo beside a broker. */
export const demoPlugin: SourcePlugin<DemoConfig> = {
  kind: 'demo',
  file: { key: 'demo', schema: demoFileSchema },
  options: () => [
    new Option('--demo', 'run the embedded demo shop (default when no broker is given)'),
    new Option('--no-demo', 'do not run the demo shop'),
    new Option('--demo-rate <orders>', 'demo orders per second').default(1).argParser(num('--demo-rate')),
  ],
  resolve(ctx, others) {
    const file = ctx.file as z.infer<typeof demoFileSchema> | undefined;
    const fromFlags = ctx.explicit('demo') ? (ctx.opts.demo as boolean) : undefined;
    const enabled = fromFlags ?? file?.enabled ?? others === 0;
    const rate =
      ctx.explicit('demoRate') || file?.ordersPerSecond === undefined
        ? (ctx.opts.demoRate as number)
        : file.ordersPerSecond;
    return { configs: enabled ? [{ kind: 'demo', ordersPerSecond: rate }] : [], errors: [] };
  },
  configSchema: z.object({
    kind: z.literal('demo'),
    ordersPerSecond: z.number().positive('must be above 0').max(1000, 'at most 1000'),
  }),
  sourceId: () => 'demo',
  describe: () => 'the demo shop',
  create: (c) => new DemoSource({ ordersPerSecond: c.ordersPerSecond }),
};
