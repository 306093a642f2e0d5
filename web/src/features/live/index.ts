/** Watch: the live view (map, stream, inspector), and the one live connection the app keeps. */
export { LiveView } from './LiveView';
export { useLiveConnection } from './useLiveConnection';
