import { Outlet } from 'react-router';
import { useLiveConnection } from '../live';
import { StatusBar } from '../status';
import './shell.css';

/** The frame every view shares: the top bar, and one live connection kept across views. */
export function AppShell() {
  useLiveConnection();
  return (
    <div className="fs-app">
      <StatusBar />
      <Outlet />
    </div>
  );
}
