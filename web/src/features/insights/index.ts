/** Architecture insights measured from traffic: idempotency, consistency windows, ordering, schema changes, dead letters. */
export { InsightsView } from './InsightsView';
