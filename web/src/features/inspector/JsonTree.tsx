import { memo, useState } from 'react';
import { inspectorMarkers } from './inspector.markers';

/** Containers deeper than this, or bigger than these, start collapsed. */
const OPEN_DEPTH = 3;
const OPEN_MAX_ITEMS = 25;
/** Children rendered per "show more" step, so a 100k-element array stays responsive. */
const PAGE = 200;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isContainer = (v: Json): v is Json[] | { [key: string]: Json } => typeof v === 'object' && v !== null;

function entriesOf(v: Json[] | { [key: string]: Json }): [string, Json][] {
  return Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
}

function Scalar({ value }: { value: Json }) {
  if (value === null) return <span className="fs-json__null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span className="fs-json__string">{JSON.stringify(value)}</span>;
    case 'number':
      return <span className="fs-json__number">{String(value)}</span>;
    case 'boolean':
      return <span className="fs-json__boolean">{String(value)}</span>;
    default:
      return null;
  }
}

type NodeProps = Readonly<{
  name: string | null;
  inArray: boolean;
  value: Json;
  depth: number;
  openDepth: number;
  last: boolean;
}>;

function summary(value: Json[] | { [key: string]: Json }) {
  const n = Array.isArray(value) ? value.length : Object.keys(value).length;
  return Array.isArray(value) ? `${n} item${n === 1 ? '' : 's'}` : `${n} key${n === 1 ? '' : 's'}`;
}

const JsonNode = memo(function JsonNode({ name, inArray, value, depth, openDepth, last }: NodeProps) {
  const container = isContainer(value);
  const size = container ? (Array.isArray(value) ? value.length : Object.keys(value).length) : 0;
  const [open, setOpen] = useState(() => depth < openDepth && size <= OPEN_MAX_ITEMS * (depth === 0 ? 4 : 1));
  const [shown, setShown] = useState(PAGE);
  const comma = last ? '' : ',';
  const label =
    name === null ? null : inArray ? (
      <span className="fs-json__index">{name}: </span>
    ) : (
      <span className="fs-json__key">{JSON.stringify(name)}: </span>
    );

  if (!container) {
    return (
      <div className="fs-json__row" style={{ paddingLeft: depth * 16 + 16 }}>
        {label}
        <Scalar value={value} />
        {comma}
      </div>
    );
  }

  const [openBracket, closeBracket] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const entries = open ? entriesOf(value) : [];
  return (
    <div className="fs-json__node">
      <div className="fs-json__row" style={{ paddingLeft: depth * 16 }}>
        <button
          type="button"
          className="fs-json__toggle"
          aria-expanded={open}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? 'root'} (${summary(value)})`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? '▾' : '▸'}
        </button>
        {label}
        <span className="fs-json__bracket">{openBracket}</span>
        {!open && (
          <>
            <span className="fs-json__summary"> {size === 0 ? '' : `… ${summary(value)} `}</span>
            <span className="fs-json__bracket">{closeBracket}</span>
            {comma}
          </>
        )}
      </div>
      {open && (
        <>
          {entries.slice(0, shown).map(([k, v], i) => (
            <JsonNode
              key={k}
              name={k}
              inArray={Array.isArray(value)}
              value={v}
              depth={depth + 1}
              openDepth={openDepth}
              last={i === entries.length - 1}
            />
          ))}
          {entries.length > shown && (
            <div className="fs-json__row" style={{ paddingLeft: (depth + 1) * 16 + 16 }}>
              <button type="button" className="fs-link-button" onClick={() => setShown((s) => s + PAGE)}>
                Show {Math.min(PAGE, entries.length - shown)} more of {entries.length - shown} remaining
              </button>
            </div>
          )}
          <div className="fs-json__row" style={{ paddingLeft: depth * 16 + 16 }}>
            <span className="fs-json__bracket">{closeBracket}</span>
            {comma}
          </div>
        </>
      )}
    </div>
  );
});

/**
 * A collapsible, read-only view of parsed JSON. Everything is rendered as React text, so
 * payload content can never become markup.
 */
export function JsonTree({ value, openDepth = OPEN_DEPTH }: { value: unknown; openDepth?: number }) {
  return (
    <div className="fs-json" data-testid={inspectorMarkers.jsonTree}>
      <JsonNode name={null} inArray={false} value={value as Json} depth={0} openDepth={openDepth} last />
    </div>
  );
}
