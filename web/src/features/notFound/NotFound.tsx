import { Link, useLocation } from 'react-router';
import './notFound.css';
import { LIVE_ROOT } from '../../lib/routes';

/** Any path the app does not know. */
export function NotFound() {
  const { pathname } = useLocation();
  return (
    <main className="fs-notfound">
      <img src="/favicon.svg" alt="" width={48} height={48} />
      <h1>Nothing here</h1>
      <p className="fs-muted">
        Flowscope has no page at <code>{pathname}</code>.
      </p>
      <Link className="fs-button fs-button--accent" to={LIVE_ROOT}>
        Go to the live view
      </Link>
    </main>
  );
}
