import type { ReactNode } from 'react';
import type { InsightsSection } from '../../lib/routes';
import { insightsMarkers } from './insights.markers';

/** What an empty section says: what it will show, and what it takes to show it. */
type EmptyText = Readonly<{ title: string; text: ReactNode }>;

type InsightSectionProps = Readonly<{
  id: InsightsSection;
  title: string;
  /** One line on what the section measures. */
  intro?: ReactNode;
  /** Set when there is nothing to show: the section explains itself instead. */
  empty: EmptyText | null;
  children?: ReactNode;
}>;

/** A section of the insights page: an anchor (`/insights#<id>`), a heading, and its content or an empty state. */
export function InsightSection({ id, title, intro, empty, children }: InsightSectionProps) {
  const headingId = `${id}-title`;
  return (
    <section
      id={id}
      className="fs-insights__section"
      aria-labelledby={headingId}
      tabIndex={-1}
      data-testid={insightsMarkers.section}
      data-empty={empty ? true : undefined}
    >
      <h2 id={headingId} className="fs-insights__heading">
        <a href={`#${id}`} className="fs-insights__anchor" title="Link to this section">
          {title}
        </a>
      </h2>
      {intro && <p className="fs-muted fs-insights__intro">{intro}</p>}
      {empty ? (
        <div className="fs-insights__empty">
          <p className="fs-insights__empty-title">{empty.title}</p>
          <p className="fs-muted">{empty.text}</p>
        </div>
      ) : (
        children
      )}
    </section>
  );
}
