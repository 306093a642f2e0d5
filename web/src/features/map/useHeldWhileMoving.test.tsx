import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useHeldWhileMoving } from './useHeldWhileMoving';

describe('useHeldWhileMoving', () => {
  it('keeps what the map showed when the user began to drag, and shows the latest once the drag ends', () => {
    const { result, rerender } = renderHook(({ value }) => useHeldWhileMoving(value), {
      initialProps: { value: 'rates at 10:00:01' },
    });
    act(() => result.current.onMoveStart(new MouseEvent('mousedown')));
    rerender({ value: 'rates at 10:00:02' });
    rerender({ value: 'rates at 10:00:03' });
    expect(result.current.value).toBe('rates at 10:00:01');
    act(() => result.current.onMoveEnd());
    expect(result.current.value).toBe('rates at 10:00:03');
  });

  it('holds nothing while the view is fitted by the app itself', () => {
    const { result, rerender } = renderHook(({ value }) => useHeldWhileMoving(value), {
      initialProps: { value: 1 },
    });
    act(() => result.current.onMoveStart(null));
    rerender({ value: 2 });
    expect(result.current.value).toBe(2);
  });
});
