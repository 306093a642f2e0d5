/** The page for an address the app does not know. */
export { NotFound } from './NotFound';
