import { NavLink } from 'react-router';
import { INSIGHTS_ROOT } from '../../lib/routes';
import { useInsights } from '../../lib/useInsights';
import { statusMarkers } from './status.markers';

/** The Insights link, with the number of alert findings (breaking schema changes, consumers that are not idempotent). */
export function InsightsNavLink() {
  const findings = useInsights().data?.findings;
  const alerts = findings?.filter((f) => f.severity === 'alert') ?? [];
  const count = alerts.length;
  return (
    <NavLink to={INSIGHTS_ROOT} className="fs-nav__link" data-testid={statusMarkers.navInsights}>
      Insights
      {count > 0 && (
        <span
          className="fs-nav__alerts"
          data-testid={statusMarkers.navInsightsAlerts}
          data-count={count}
          title={alerts.map((f) => f.title).join('\n')}
        >
          <span aria-hidden="true">{count}</span>
          <span className="fs-visually-hidden"> ({`${count} ${count === 1 ? 'alert' : 'alerts'}`})</span>
        </span>
      )}
    </NavLink>
  );
}
