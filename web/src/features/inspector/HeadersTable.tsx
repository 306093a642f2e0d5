import type { FlowEvent } from '@flowscope/shared';
import { inspectorMarkers } from './inspector.markers';

/** Message headers as received; a repeated header lists every value. */
export function HeadersTable({ headers }: { headers: FlowEvent['headers'] }) {
  const entries = Object.entries(headers);
  return (
    <div data-testid={inspectorMarkers.headersSection}>
      {entries.length === 0 ? (
        <p className="fs-muted fs-inspector__none">This message has no headers.</p>
      ) : (
        <table className="fs-table">
          <thead>
            <tr>
              <th scope="col">Header</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name}>
                <th scope="row" className="fs-table__name">
                  {name}
                </th>
                <td className="fs-table__value">
                  {(Array.isArray(value) ? value : [value]).map((v, i) => (
                    <div key={i}>{v === '' ? <span className="fs-muted">(empty)</span> : v}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
