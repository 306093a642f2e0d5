import { useEffect } from 'react';
import { startLive } from '../../lib/socket';

/** Keeps the live socket open while the component using it is mounted. */
export function useLiveConnection() {
  useEffect(() => startLive(), []);
}
