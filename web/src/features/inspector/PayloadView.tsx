import type { Payload } from '@flowscope/shared';
import { useState } from 'react';
import { formatBytes, formatCount } from '../../lib/format';
import { CopyButton } from './CopyButton';
import { HexDump } from './HexDump';
import { inspectorMarkers } from './inspector.markers';
import { JsonTree } from './JsonTree';
import { carriedBytes, payloadBody } from './parsePayload';
import './inspector.css';

const ENCODING_LABEL: Readonly<Record<Payload['encoding'], string>> = {
  json: 'JSON',
  text: 'Text',
  binary: 'Binary',
  empty: 'Empty',
};

/** The payload by encoding: JSON tree, text, hex dump or an explicit empty marker. */
export function PayloadView({ payload }: { payload: Payload }) {
  const body = payloadBody(payload);
  // Bumping the key remounts the tree with a new default depth (expand / collapse all).
  const [tree, setTree] = useState({ key: 0, depth: 3 });

  return (
    <div className="fs-payload" data-testid={inspectorMarkers.payloadSection}>
      <div className="fs-payload__bar">
        <span className="fs-badge">{ENCODING_LABEL[payload.encoding]}</span>
        <span className="fs-muted">{formatBytes(payload.size)}</span>
        <span className="fs-payload__spacer" />
        {body.kind === 'json' && (
          <>
            <button
              type="button"
              className="fs-link-button"
              onClick={() => setTree((t) => ({ key: t.key + 1, depth: 64 }))}
            >
              Expand all
            </button>
            <button
              type="button"
              className="fs-link-button"
              onClick={() => setTree((t) => ({ key: t.key + 1, depth: 1 }))}
            >
              Collapse
            </button>
          </>
        )}
        {body.kind !== 'empty' && (
          <CopyButton
            text={payload.value}
            label={body.kind === 'binary' ? 'Copy base64' : 'Copy payload'}
            testId={inspectorMarkers.copyPayload}
          />
        )}
      </div>

      {payload.note && (
        <p className="fs-warning" role="note" data-testid={inspectorMarkers.payloadNote}>
          {payload.note}
        </p>
      )}
      {payload.truncated && (
        <p className="fs-note" data-testid={inspectorMarkers.truncated}>
          Truncated: showing the first {formatCount(carriedBytes(payload))} of {formatCount(payload.size)} bytes. The
          SHA-256 covers the whole original body.
        </p>
      )}
      {body.kind === 'text' && body.problem && <p className="fs-warning">{body.problem}</p>}

      {body.kind === 'json' && <JsonTree key={tree.key} value={body.value} openDepth={tree.depth} />}
      {body.kind === 'text' && (
        <pre className="fs-text-payload" data-testid={inspectorMarkers.textPayload}>
          {body.text}
        </pre>
      )}
      {body.kind === 'binary' && <HexDump base64={body.base64} />}
      {body.kind === 'empty' && (
        <p className="fs-empty-payload" data-testid={inspectorMarkers.emptyPayload}>
          (empty payload)
        </p>
      )}
    </div>
  );
}
