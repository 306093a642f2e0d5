/** The top bar: navigation, connection, sources, gaps and the event rate. */
export { StatusBar } from './StatusBar';
