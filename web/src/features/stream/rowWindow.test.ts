import { describe, expect, it } from 'vitest';
import { rowAt, rowWindow, scrollToShow } from './rowWindow';

describe('rowWindow', () => {
  it('renders the rows in the viewport and the overscan around them, whatever the row count', () => {
    expect(rowWindow(0, 300, 30, 5_000, 12)).toEqual({ start: 0, end: 23 });
    expect(rowWindow(100, 300, 30, 5_000, 12)).toEqual({ start: 88, end: 123 });
  });

  it('stays within the rows there are', () => {
    expect(rowWindow(0, 300, 30, 4, 12)).toEqual({ start: 0, end: 4 });
    expect(rowWindow(0, 300, 30, 0, 12)).toEqual({ start: 0, end: 0 });
    // Scrolled far down, then the rows shrank (a filter): the last ones stay in the window.
    expect(rowWindow(4_000, 300, 30, 50, 12)).toEqual({ start: 37, end: 50 });
  });

  it('finds the row at the top edge', () => {
    expect(rowAt(0, 30)).toBe(0);
    expect(rowAt(59, 30)).toBe(1);
    expect(rowAt(60, 30)).toBe(2);
  });
});

describe('scrollToShow', () => {
  it('leaves a fully visible row where it is', () => {
    expect(scrollToShow(3, 0, 300, 30)).toBeNull();
    expect(scrollToShow(9, 0, 300, 30)).toBeNull();
  });

  it('scrolls up to a row above, and down just enough for a row below', () => {
    expect(scrollToShow(2, 300, 300, 30)).toBe(60);
    expect(scrollToShow(10, 0, 300, 30)).toBe(30);
    expect(scrollToShow(100, 0, 300, 30)).toBe(2_730);
  });
});
