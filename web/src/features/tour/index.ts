/** A recorded flow, one step at a time, on the map. */
export { TourView } from './TourView';
