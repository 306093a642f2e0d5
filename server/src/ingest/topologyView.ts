import { withConsumerGroups, type Topology } from '@flowscope/shared';
import type { SourceRegistry } from '../sources/registry.js';
import type { Pipeline } from './pipeline.js';

/** The map as served: what events showed, plus the consumer groups the brokers report. */
export const topologyView = (pipeline: Pipeline, sources: SourceRegistry): Topology =>
  withConsumerGroups(pipeline.topology(), sources.groups());
