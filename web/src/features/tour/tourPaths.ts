/** URLs of the tour: `/tour/<flow id>` (segment by segment, like the trace view), step in `?step=` (1-based). */
export const TOUR_ROOT = '/tour';

export function tourPath(flowId: string, step?: number): string {
  const path = `${TOUR_ROOT}/${flowId.split('/').map(encodeURIComponent).join('/')}`;
  return step && step > 1 ? `${path}?step=${step}` : path;
}
