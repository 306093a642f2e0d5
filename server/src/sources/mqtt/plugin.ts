import { InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { list, resolveSecret, secret } from '../../configValues.js';
import type { ResolveContext, SourcePlugin } from '../plugin.js';
import { filterProblem, SYS_FILTER } from './filters.js';
import { mqttAddress, MqttSource, type MqttSourceOptions, type MqttVersion } from './mqttSource.js';

const clusterName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const mqttUrl = z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'expected mqtt://host:1883 or mqtts://host:8883');
const version = z.enum(['5', '3.1.1']);
/** A topic filter Flowscope may subscribe to: valid, and never a shared subscription. */
const topicFilter = z.string().superRefine((f, ctx) => {
  const problem = filterProblem(f);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** One entry of the config file's `mqtt:` list. */
const mqttFileSchema = z
  .object({
    cluster: clusterName.default('mqtt'),
    /** mqtt://host:1883; the user name and password go in `username` and `password`. */
    url: mqttUrl,
    username: z.string().min(1).optional(),
    /** Better as `{ env: NAME }` than inline. */
    password: secret.optional(),
    topics: z.array(topicFilter).min(1).default(['#']),
    /** Also broker statistics ($SYS/#), which # does not match. */
    sys: z.boolean().default(false),
    /** MQTT 5 by default (falls back to 3.1.1 when the broker refuses it); 3.1.1 never tries 5. */
    version: z.union([version, z.literal(5).transform(() => '5' as const)]).default('5'),
  })
  .strict();
type MqttFileEntry = z.infer<typeof mqttFileSchema>;

export type MqttConfig = MqttSourceOptions & { readonly kind: 'mqtt' };

const mqttConfigSchema = z.object({
  kind: z.literal('mqtt'),
  cluster: clusterName,
  url: mqttUrl,
  username: z.string().optional(),
  password: z.string().optional(),
  topics: z.array(topicFilter).min(1),
  sys: z.boolean().optional(),
  version: version.optional(),
}) as unknown as z.ZodType<MqttConfig>;

/** Comma-separated topic filters, each checked (a `$share/…` filter is refused here, with why). */
function topicList(v: string): string[] {
  const filters = list(v);
  for (const f of filters) {
    const problem = filterProblem(f);
    if (problem) throw new InvalidArgumentError(problem);
  }
  return filters;
}

function options(): Option[] {
  return [
    new Option(
      '--mqtt <url>',
      'MQTT broker to tap, mqtt://host:1883 (mqtts:// for TLS; user:password@ in the URL or FLOWSCOPE_MQTT_PASSWORD)',
    ).env('FLOWSCOPE_MQTT_URL'),
    new Option('--mqtt-topics <filters>', 'MQTT topic filters, comma-separated (e.g. orders/#,devices/+/status)')
      .env('FLOWSCOPE_MQTT_TOPICS')
      .default(['#'])
      .argParser(topicList),
    new Option('--mqtt-sys', `also tap the broker's statistics (${SYS_FILTER}, which # does not match)`).env(
      'FLOWSCOPE_MQTT_SYS',
    ),
    new Option('--mqtt-name <name>', 'name of the MQTT broker in the UI').env('FLOWSCOPE_MQTT_NAME').default('mqtt'),
    new Option(
      '--mqtt-version <version>',
      'MQTT protocol: 5 (correlation data, user properties; falls back to 3.1.1 when the broker refuses it) or 3.1.1',
    )
      .env('FLOWSCOPE_MQTT_VERSION')
      .choices(['5', '3.1.1'])
      .default('5'),
    new Option('--mqtt-username <name>', 'MQTT user name (the password from FLOWSCOPE_MQTT_PASSWORD)').env(
      'FLOWSCOPE_MQTT_USERNAME',
    ),
  ];
}

/** The URL without credentials, and the credentials it carried (decoded). */
function splitCredentials(url: string): { url: string; username?: string; password?: string } {
  const u = new URL(url);
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function fromFlags(ctx: ResolveContext): MqttConfig | undefined {
  const o = ctx.opts;
  if (!o.mqtt || !ctx.explicit('mqtt')) return undefined;
  const given = splitCredentials(o.mqtt as string);
  const username = given.username ?? (o.mqttUsername as string | undefined);
  const password = given.password ?? ctx.env.FLOWSCOPE_MQTT_PASSWORD;
  return {
    kind: 'mqtt',
    cluster: o.mqttName as string,
    url: given.url,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    topics: o.mqttTopics as string[],
    sys: Boolean(o.mqttSys),
    version: o.mqttVersion as MqttVersion,
  };
}

function fromFile(m: MqttFileEntry, i: number, ctx: ResolveContext, errors: string[]): MqttConfig {
  const password = resolveSecret(m.password, ctx.env, `mqtt[${i}].password`);
  if (password.error) errors.push(password.error);
  const given = splitCredentials(m.url);
  const username = m.username ?? given.username;
  const pass = password.value ?? given.password;
  return {
    kind: 'mqtt',
    cluster: m.cluster,
    url: given.url,
    ...(username ? { username } : {}),
    ...(pass ? { password: pass } : {}),
    topics: ctx.explicit('mqttTopics') ? (ctx.opts.mqttTopics as string[]) : m.topics,
    sys: m.sys || Boolean(ctx.opts.mqttSys),
    version: m.version,
  };
}

/** MQTT through mqtt.js: a plain MQTT 5 subscriber with a random client id that never publishes. */
export const mqttPlugin: SourcePlugin<MqttConfig> = {
  kind: 'mqtt',
  file: { key: 'mqtt', schema: z.array(mqttFileSchema) },
  options,
  resolve(ctx) {
    const errors: string[] = [];
    const configs: MqttConfig[] = [];
    try {
      const flags = fromFlags(ctx);
      if (flags) configs.push(flags);
    } catch (err) {
      errors.push(`--mqtt: ${(err as Error).message.replace(/\/\/[^@\s]*@/g, '//')}`);
    }
    const entries = (ctx.file as MqttFileEntry[] | undefined) ?? [];
    for (const [i, m] of entries.entries()) configs.push(fromFile(m, i, ctx, errors));
    return { configs, errors };
  },
  configSchema: mqttConfigSchema,
  sourceId: (c) => `mqtt:${c.cluster}`,
  describe: (c) => `MQTT ${c.cluster} (${mqttAddress(c.url)}${c.version === '3.1.1' ? ', MQTT 3.1.1' : ''})`,
  create: (c, log) => new MqttSource(c, log),
  downtimeGap: (c, from, until) => ({
    reason: 'not-running',
    from,
    until,
    detail: `Flowscope was not running from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; messages published on MQTT ${c.cluster} in that window were not received (MQTT keeps no history for a new subscriber; only retained state is read again).`,
  }),
};
