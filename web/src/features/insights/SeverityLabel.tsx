import type { Finding } from '@flowscope/shared';

type Severity = Finding['severity'];

const LABELS: Readonly<Record<Severity, { text: string; mark: string }>> = {
  alert: { text: 'Alert', mark: '▲' },
  warning: { text: 'Warning', mark: '!' },
  info: { text: 'Info', mark: 'i' },
};

/** A severity as a word with a mark, coloured too: never colour alone. */
export function SeverityLabel({ severity, text }: { severity: Severity; text?: string }) {
  const label = LABELS[severity];
  return (
    <span className={`fs-severity fs-severity--${severity}`} data-severity={severity}>
      <span className="fs-severity__mark" aria-hidden="true">
        {label.mark}
      </span>
      {text ?? label.text}
    </span>
  );
}
