import { formatCount, formatRate } from '../../lib/format';

/** Name and live figures shared by service and channel nodes. */
export function NodeBody({ name, rate, count, unit }: { name: string; rate: number; count: number; unit: string }) {
  return (
    <span className="fs-node__body">
      <span className="fs-node__name" title={name}>
        {name}
      </span>
      <span className="fs-node__stats">
        <span className="fs-node__rate">{formatRate(rate)}</span>
        <span aria-hidden="true">·</span>
        <span>
          {formatCount(count)} {unit}
        </span>
      </span>
    </span>
  );
}
