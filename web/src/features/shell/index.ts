/** The frame around every view. */
export { AppShell } from './AppShell';
