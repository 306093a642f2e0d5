import { Popover } from '../../components/Popover';
import { streamMarkers } from './stream.markers';

const FIELDS: readonly (readonly [name: string, meaning: string])[] = [
  ['channel', 'topic, queue, stream or subject'],
  ['type, producer', 'event type and producing service, when known'],
  ['key', 'message key'],
  ['headers["name"]', 'a header, any letter case'],
  ['payload.x', 'a field of the JSON payload'],
  ['keys.orderId', 'a correlation key'],
  ['broker, cluster', 'where the event was observed'],
  ['partition, offset', 'offset is text: int(offset) > 100'],
  ['size, timestamp', 'payload bytes; epoch milliseconds'],
];

/** Examples that match events of the demo shop; each one can be applied with a click. */
export const FILTER_EXAMPLES: readonly string[] = [
  'channel == "payments" && payload.amount > 100',
  'type.startsWith("payment.") && has(payload.paymentId)',
  'headers["x-death-reason"] == "max-retries-exceeded"',
];

type FilterHelpProps = Readonly<{ onUseExample: (expression: string) => void }>;

/** The "?" next to the filter box: the fields and operators of the filter language, with examples. */
export function FilterHelp({ onUseExample }: FilterHelpProps) {
  return (
    <Popover
      label="?"
      buttonClassName="fs-icon-button fs-filter-help__button"
      buttonAttributes={{
        'aria-label': 'Filter expression syntax',
        title: 'Filter expression syntax',
        'data-testid': streamMarkers.filterHelpButton,
      }}
      region="Filter expression syntax"
      // Opens upwards over the map: the stream sits in the lower half, where a drop-down would be cut off.
      placement="above-start"
      panelClassName="fs-filter-help__panel"
      panelTestId={streamMarkers.filterHelp}
      anchorClassName="fs-filter-help"
    >
      {(close) => (
        <>
          <p className="fs-filter-help__lead">
            In <strong>Expression</strong> mode the box takes the filter language the server uses for history and
            subscriptions.
          </p>
          <dl className="fs-filter-help__fields">
            {FIELDS.map(([name, meaning]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{meaning}</dd>
              </div>
            ))}
          </dl>
          <p className="fs-filter-help__ops">
            <code>== != &lt; &lt;= &gt; &gt;= in</code> · <code>&amp;&amp; || !</code> ·{' '}
            <code>.startsWith() .contains() .matches()</code> · <code>has()</code>. Text needs quotes; a missing field
            never matches (but <code>!=</code> does).
          </p>
          <p className="fs-filter-help__title">Examples</p>
          <ul className="fs-filter-help__examples">
            {FILTER_EXAMPLES.map((example) => (
              <li key={example}>
                <button
                  type="button"
                  className="fs-filter-help__example"
                  title="Filter by this expression"
                  onClick={() => {
                    onUseExample(example);
                    close();
                  }}
                >
                  {example}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Popover>
  );
}
