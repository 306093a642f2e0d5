import { formatBytes, formatCount } from '../../lib/format';
import { base64ToBytes, HEX_DUMP_LIMIT, hexDumpLines } from './hexDump';
import { inspectorMarkers } from './inspector.markers';

/** Hex dump of a base64 payload: offset, hex bytes, ASCII; the first 4 KiB at most. */
export function HexDump({ base64 }: { base64: string }) {
  const bytes = base64ToBytes(base64);
  if (!bytes) return <p className="fs-warning">The payload is marked binary but is not valid base64.</p>;
  const lines = hexDumpLines(bytes);
  return (
    <div data-testid={inspectorMarkers.hexDump}>
      {bytes.length > HEX_DUMP_LIMIT && (
        <p className="fs-note">
          Showing the first {formatBytes(HEX_DUMP_LIMIT)} of {formatCount(bytes.length)} bytes.
        </p>
      )}
      <div className="fs-hex" role="group" aria-label="Hex dump">
        {lines.map((l) => (
          <div key={l.offset} className="fs-hex__line">
            <span className="fs-hex__offset">{l.offset}</span>
            <span className="fs-hex__bytes">{l.hex}</span>
            <span className="fs-hex__ascii">{l.ascii}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
