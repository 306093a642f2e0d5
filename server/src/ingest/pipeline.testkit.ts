import type { EventOrigin, FlowEvent } from '@flowscope/shared';
import type { RawRecord } from '../sources/contract.js';
import { createPipeline, type Pipeline, type PipelineOptions } from './pipeline.js';

/** A pipeline for tests, fed one record at a time (a batch of one) from one origin. */
export function testPipeline(
  o: Partial<PipelineOptions> & { readonly bufferSize: number },
  origin: EventOrigin = { broker: 'kafka', cluster: 'local' },
): Pipeline & { accept(record: RawRecord): Promise<FlowEvent> } {
  const p = createPipeline({ maxPayloadBytes: 1024, ...o });
  const from = { sourceId: `${origin.broker}:${origin.cluster}`, origin };
  return {
    ...p,
    async accept(record) {
      const [event] = await p.ingest.records(from, [record]);
      if (!event) throw new Error('the pipeline accepted no event for the record');
      return event;
    },
  };
}
