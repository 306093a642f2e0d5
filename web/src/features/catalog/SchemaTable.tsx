import { isoTime } from '@flowscope/shared';
import { formatClock } from '../../lib/format';
import { catalogMarkers } from './catalog.markers';
import { schemaFields } from './schemaFields';

const dateTime = (ms: number) => `${isoTime(ms).slice(0, 10)} ${formatClock(ms)}`;

/** An inferred JSON Schema as a readable field table: path, types, required, values, when a field appeared. */
export function SchemaTable({ schema, samples }: { schema: unknown; samples: number }) {
  const fields = schemaFields(schema);
  if (fields.length === 0)
    return (
      <p className="fs-muted fs-schema__empty">
        No fields inferred yet: only JSON payloads are read, and this type had none in {samples} samples.
      </p>
    );
  return (
    <table className="fs-schema" data-testid={catalogMarkers.schemaTable}>
      <caption className="fs-schema__caption">
        Inferred from {samples} {samples === 1 ? 'payload' : 'payloads'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Presence</th>
          <th scope="col">Values</th>
          <th scope="col">Appeared</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr
            key={f.path}
            data-testid={catalogMarkers.schemaRow}
            data-path={f.path}
            data-required={f.required}
            className={f.firstSeenAt !== null ? 'is-new' : undefined}
          >
            <th scope="row" className="fs-schema__path" style={{ paddingLeft: `${8 + f.depth * 14}px` }}>
              <code>{f.path}</code>
            </th>
            <td className="fs-schema__types">{f.types.length > 0 ? f.types.join(' | ') : 'any'}</td>
            <td>{f.required ? 'required' : <span className="fs-muted">optional</span>}</td>
            <td className="fs-schema__values">
              {f.enumValues.length > 0 ? (
                <span title="Every value seen (an enum)">
                  <span className="fs-muted">one of </span>
                  {f.enumValues.map((v) => (
                    <code key={v} className="fs-schema__value">
                      {v}
                    </code>
                  ))}
                </span>
              ) : f.examples.length > 0 ? (
                <span title="Examples seen">
                  <span className="fs-muted">e.g. </span>
                  {f.examples.map((v) => (
                    <code key={v} className="fs-schema__value">
                      {v}
                    </code>
                  ))}
                </span>
              ) : null}
            </td>
            <td className="fs-schema__appeared">
              {f.firstSeenAt !== null ? (
                <span className="fs-badge" title={isoTime(f.firstSeenAt)}>
                  appeared {dateTime(f.firstSeenAt)}
                </span>
              ) : (
                <span className="fs-muted">from the start</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
