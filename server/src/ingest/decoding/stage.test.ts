import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../pipeline.js';
import { confluentFramed, serveRegistry } from './registry.testkit.js';
import { DecodingStage } from './stage.js';

const schema = {
  type: 'record',
  name: 'Job',
  fields: [
    { name: 'jobId', type: 'string' },
    { name: 'attempt', type: 'int' },
  ],
};
const jobs = avro.Type.forSchema(schema as avro.Schema);
const record = (channel: string, n: number, value: Uint8Array | string) => ({
  channel,
  messageId: `m-${n}`,
  timestamp: 1_700_000_000_000 + n,
  headers: {},
  value,
});

describe('schema decoding as an ingest stage', () => {
  let registry: Awaited<ReturnType<typeof serveRegistry>>;
  beforeAll(async () => {
    registry = await serveRegistry({ 5: { schema: JSON.stringify(schema) } });
  });
  afterAll(() => registry.close());

  it("decodes any source's channel mapped to a schema file, and leaves other sources' channels alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-stage-'));
    writeFileSync(join(dir, 'job.avsc'), JSON.stringify(schema));
    const decoding = new DecodingStage({
      files: [{ channel: 'jobs.*', source: 'rabbitmq:*', file: join(dir, 'job.avsc') }],
    });
    const { ingest } = createPipeline({ bufferSize: 10, maxPayloadBytes: 4096, decoding });
    const value = jobs.toBuffer({ jobId: 'J-1', attempt: 2 });
    const [decoded] = await ingest.records(
      { sourceId: 'rabbitmq:local', origin: { broker: 'rabbitmq', cluster: 'local' } },
      [record('jobs.payments', 1, value)],
    );
    expect(decoded?.payload).toMatchObject({ encoding: 'json', schema: { format: 'avro', origin: 'file' } });
    expect(JSON.parse(decoded?.payload.value ?? '')).toEqual({ jobId: 'J-1', attempt: 2 });
    const [other] = await ingest.records({ sourceId: 'redis:local', origin: { broker: 'redis', cluster: 'local' } }, [
      record('jobs.payments', 2, value),
    ]);
    expect(other?.payload.schema).toBeUndefined();
    expect(other?.payload.encoding).toBe('binary');
  });

  it('keeps arrival order when one batch waits for the registry and a later one does not', async () => {
    const decoding = new DecodingStage({ registry: { url: registry.url }, files: [] });
    const { ingest } = createPipeline({ bufferSize: 10, maxPayloadBytes: 4096, decoding });
    const from = { sourceId: 'nats:local', origin: { broker: 'nats' as const, cluster: 'local' } };
    const slow = ingest.records(from, [
      record('jobs', 1, confluentFramed(5, jobs.toBuffer({ jobId: 'J-2', attempt: 1 }))),
    ]);
    const fast = ingest.records(from, [record('jobs', 2, '{"plain":"json"}')]);
    const [[first], [second]] = await Promise.all([slow, fast]);
    expect(first?.seq).toBe(1);
    expect(first?.payload.schema).toMatchObject({ format: 'avro', id: 5 });
    expect(second?.seq).toBe(2);
    await ingest.drained();
  });
});
