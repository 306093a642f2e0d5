import type { Finding } from '@flowscope/shared';
import { formatCount } from '../../lib/format';
import { EvidenceLinks } from './EvidenceLinks';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';
import { SeverityLabel } from './SeverityLabel';

const EMPTY = {
  title: 'Nothing to look at yet',
  text: 'Findings appear when the traffic shows one of the hard parts going wrong: a consumer that reacts twice to a redelivered message, a schema change that breaks readers, events out of order, dead letters, or a command read by several services. Keep traffic flowing; this page refreshes every 5 seconds.',
};

/** What to look at first, ranked as the server ranks it (by how many flows it affects). */
export function FindingsSection({ findings }: { findings: readonly Finding[] }) {
  return (
    <InsightSection
      id="findings"
      title="Findings"
      intro="Ranked by the flows they affect; each links to flows that show it."
      empty={findings.length === 0 ? EMPTY : null}
    >
      <ol className="fs-findings">
        {findings.map((f, i) => (
          <li
            key={`${f.kind}-${f.title}-${i}`}
            className={`fs-finding fs-finding--${f.severity}`}
            data-testid={insightsMarkers.finding}
            data-kind={f.kind}
            data-severity={f.severity}
          >
            <div className="fs-finding__head">
              <SeverityLabel severity={f.severity} />
              <h3 className="fs-finding__title">{f.title}</h3>
              <span className="fs-finding__flows">
                {formatCount(f.flows)} {f.flows === 1 ? 'flow' : 'flows'}
              </span>
            </div>
            <p className="fs-finding__detail">{f.detail}</p>
            {f.evidence.length > 0 && (
              <div className="fs-finding__evidence">
                <span className="fs-muted">Flows: </span>
                <EvidenceLinks eventIds={f.evidence} what={`finding “${f.title}”`} />
              </div>
            )}
          </li>
        ))}
      </ol>
    </InsightSection>
  );
}
