/** The live stream of events with its filter. */
export { parseFilterMode, type FilterMode } from './streamRows';
export { StreamView } from './StreamView';
