import { useState } from 'react';

/**
 * What the map draws while the user drags or zooms it: the value from when the gesture began,
 * then the latest once it ends. On a big map each topology update renders every node and edge
 * again; held back for the length of a gesture, the pan keeps its frames and nothing moves under
 * the pointer. Programmatic moves (fitting the view) hold nothing.
 */
export function useHeldWhileMoving<T>(latest: T) {
  const [moving, setMoving] = useState(false);
  const [held, setHeld] = useState(latest);
  // Derived state (React's documented pattern): follows the latest value while nothing moves.
  if (!moving && held !== latest) setHeld(latest);
  return {
    value: moving ? held : latest,
    onMoveStart: (event: MouseEvent | TouchEvent | null) => {
      if (event) setMoving(true);
    },
    onMoveEnd: () => setMoving(false),
  };
}
