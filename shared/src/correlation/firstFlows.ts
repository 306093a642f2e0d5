/**
 * The first `limit` flows in the order `before` gives (ties in iteration order), as a sort would
 * give them, with a heap of `limit`: O(flows × log limit).
 */
export function firstFlows<F>(flows: Iterable<F>, limit: number, before: (a: F, b: F) => boolean): F[] {
  type Entry = { readonly f: F; readonly order: number };
  // The heap's root is the entry that ranks last.
  const after = (a: Entry, b: Entry) => before(b.f, a.f) || (!before(a.f, b.f) && a.order > b.order);
  const heap: Entry[] = [];
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j] as Entry, heap[i] as Entry];
  };
  let order = 0;
  for (const f of flows) {
    const e = { f, order: order++ };
    if (heap.length < limit) {
      heap.push(e);
      for (let i = heap.length - 1, p = (i - 1) >> 1; i > 0 && after(heap[i] as Entry, heap[p] as Entry);) {
        swap(i, p);
        i = p;
        p = (i - 1) >> 1;
      }
    } else if (limit > 0 && after(heap[0] as Entry, e)) {
      heap[0] = e;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let m = i;
        if (l < heap.length && after(heap[l] as Entry, heap[m] as Entry)) m = l;
        if (l + 1 < heap.length && after(heap[l + 1] as Entry, heap[m] as Entry)) m = l + 1;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0)).map((e) => e.f);
}
