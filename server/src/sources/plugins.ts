import { awsPlugin } from './aws/plugin.js';
import { demoPlugin } from './demo/plugin.js';
import { filePlugin } from './file/plugin.js';
import { kafkaPlugin } from './kafka/plugin.js';
import { mqttPlugin } from './mqtt/plugin.js';
import { natsPlugin } from './nats/plugin.js';
import { rabbitmqPlugin } from './rabbitmq/plugin.js';
import type { SourceConfig, SourcePlugin } from './plugin.js';
import { redisPlugin } from './redis/plugin.js';

/**
 * Every kind of source Flowscope knows. Adding a broker is its folder and one line here. The demo
 * comes last: it runs by default only when the plugins before it configured nothing.
 */
export const sourcePlugins: readonly SourcePlugin<SourceConfig>[] = [
  kafkaPlugin,
  filePlugin,
  rabbitmqPlugin,
  redisPlugin,
  mqttPlugin,
  natsPlugin,
  awsPlugin,
  demoPlugin,
];

/** The plugin of a configuration's kind. */
export function pluginOf(config: SourceConfig): SourcePlugin<SourceConfig> {
  const plugin = sourcePlugins.find((p) => p.kind === config.kind);
  if (!plugin) throw new Error(`No source plugin for kind "${config.kind}"`);
  return plugin;
}
