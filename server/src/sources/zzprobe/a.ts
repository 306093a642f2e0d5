export { normalize } from '../../ingest/normalize.js';
export { SourceRegistry } from '../../sourceRegistry.js';
export * as g from '../kafka/groups.js';
