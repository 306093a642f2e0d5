import type { AnomalyKind, FlowStatus } from '@flowscope/shared';

export type Tone = 'err' | 'warn' | 'ok' | 'info' | 'quiet';

/** How each anomaly kind is named and drawn. Glyphs are plain text, so they survive any font. */
export const anomalyInfo: Readonly<Record<AnomalyKind, Readonly<{ label: string; glyph: string; tone: Tone }>>> = {
  'dead-lettered': { label: 'dead-lettered', glyph: '☠', tone: 'err' },
  failure: { label: 'failure', glyph: '!', tone: 'err' },
  stuck: { label: 'stuck', glyph: '⏸', tone: 'warn' },
  'missing-step': { label: 'missing step', glyph: '∅', tone: 'warn' },
  'unexpected-step': { label: 'unexpected step', glyph: '?', tone: 'warn' },
  'out-of-order': { label: 'out of order', glyph: '⇅', tone: 'warn' },
  duplicate: { label: 'duplicate', glyph: '2×', tone: 'warn' },
};

const severityOrder: readonly AnomalyKind[] = [
  'dead-lettered',
  'failure',
  'stuck',
  'missing-step',
  'out-of-order',
  'duplicate',
  'unexpected-step',
];

/** The kind to draw when an event has several. */
export function primaryAnomaly(kinds: readonly AnomalyKind[]): AnomalyKind | null {
  return severityOrder.find((k) => kinds.includes(k)) ?? null;
}

export const statusTone: Readonly<Record<FlowStatus, Tone>> = {
  open: 'info',
  completed: 'ok',
  failed: 'err',
  stuck: 'warn',
};
