import { useMemo } from 'react';
import { Link, NavLink } from 'react-router';
import { formatRate } from '../../lib/format';
import {
  selectConnection,
  selectProtocolErrors,
  selectServerVersion,
  selectSources,
  selectLatestTopology,
  useLiveStore,
} from '../../stores/liveStore';
import { LIVE_ROOT, TRACE_ROOT, CATALOG_ROOT } from '../../lib/routes';
import { ConnectionPill } from './ConnectionPill';
import { ProtocolErrors } from './ProtocolErrors';
import { HistoryGaps } from './HistoryGaps';
import { InsightsNavLink } from './InsightsNavLink';
import { useGaps, useHealth } from './queries';
import { SourcePill } from './SourcePill';
import { StorePill } from './StorePill';
import { statusMarkers } from './status.markers';
import './status.css';

/** Top bar: name, Live / Trace / Catalog / Insights navigation, live connection, one pill per source, total event rate. */
export function StatusBar() {
  const connection = useLiveStore(selectConnection);
  const liveSources = useLiveStore(selectSources);
  const topology = useLiveStore(selectLatestTopology);
  const protocolErrors = useLiveStore(selectProtocolErrors);
  const liveVersion = useLiveStore(selectServerVersion);
  const health = useHealth();
  const gaps = useGaps();

  const sources = liveSources ?? health.data?.sources ?? [];
  const version = liveVersion ?? health.data?.version;
  // Every event lands on exactly one channel, so channel rates add up to the total.
  const live = connection.status === 'connected';
  const rate = useMemo(
    () => (topology ? topology.nodes.reduce((sum, n) => (n.kind === 'channel' ? sum + n.rate : sum), 0) : null),
    [topology],
  );

  return (
    <header className="fs-statusbar" data-testid={statusMarkers.bar}>
      <Link to={LIVE_ROOT} className="fs-brand" aria-label="Flowscope home">
        <img src="/favicon.svg" alt="" width={20} height={20} />
        <span className="fs-brand__name">Flowscope</span>
        {version && <span className="fs-brand__version">v{version}</span>}
      </Link>
      <nav className="fs-nav" aria-label="Views">
        <NavLink to={LIVE_ROOT} end className="fs-nav__link" data-testid={statusMarkers.navLive}>
          Live
        </NavLink>
        <NavLink to={TRACE_ROOT} className="fs-nav__link" data-testid={statusMarkers.navTrace}>
          Trace
        </NavLink>
        <NavLink to={CATALOG_ROOT} className="fs-nav__link" data-testid={statusMarkers.navCatalog}>
          Catalog
        </NavLink>
        <InsightsNavLink />
      </nav>
      <ConnectionPill connection={connection} />
      <div className="fs-statusbar__sources" aria-label="Sources">
        {sources.map((s) => (
          <SourcePill key={s.id} source={s} />
        ))}
      </div>
      <div className="fs-statusbar__end">
        <StorePill store={health.data?.store} />
        <HistoryGaps gaps={gaps.data?.gaps ?? []} />
        <ProtocolErrors errors={protocolErrors} />
        <span
          className="fs-rate"
          data-testid={statusMarkers.rate}
          title="Events per second over the last 10 s, all channels"
        >
          <span className="fs-rate__value">{rate === null || !live ? '—' : formatRate(rate)}</span>
          <span className="fs-rate__label">events</span>
        </span>
      </div>
    </header>
  );
}
