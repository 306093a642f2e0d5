import type { Consumer } from '@flowscope/shared';
import { formatCount, formatDuration } from '../../../lib/format';
import { lagAmount } from './consumerText';
import { sparklinePoints, summarizeLag } from './lagHistory';
import { mapMarkers } from '../map.markers';

const SPARK_W = 140;
const SPARK_H = 30;

type LagSparklineProps = Readonly<{ history: Consumer['history']; broker?: Consumer['broker'] }>;

/** Total lag over time as a line, with now, min and max written out. */
export function LagSparkline({ history, broker }: LagSparklineProps) {
  const summary = summarizeLag(history);
  if (!summary) return <p className="fs-muted fs-spark__none">No lag readings yet.</p>;
  const points = sparklinePoints(history, SPARK_W, SPARK_H);
  const over = summary.spanMs > 0 ? ` over ${formatDuration(summary.spanMs)}` : '';
  const label = `Lag history, ${summary.readings} ${summary.readings === 1 ? 'reading' : 'readings'}${over}: now ${lagAmount(broker, summary.current)}, min ${formatCount(summary.min)}, max ${formatCount(summary.max)}`;
  return (
    <figure className="fs-spark" data-testid={mapMarkers.consumerSparkline}>
      {points ? (
        <svg
          className="fs-spark__svg"
          width={SPARK_W}
          height={SPARK_H}
          viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
          role="img"
          aria-label={label}
        >
          <title>{label}</title>
          <polyline className="fs-spark__line" points={points} />
        </svg>
      ) : (
        <span className="fs-muted fs-spark__none" role="img" aria-label={label}>
          one reading so far
        </span>
      )}
      <figcaption className="fs-spark__figures" aria-hidden="true">
        <span>
          now <b>{formatCount(summary.current)}</b>
        </span>
        <span>
          min <b>{formatCount(summary.min)}</b>
        </span>
        <span>
          max <b>{formatCount(summary.max)}</b>
        </span>
      </figcaption>
    </figure>
  );
}
