import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Popover } from './Popover';

afterEach(cleanup);

describe('Popover', () => {
  it('opens from its button and closes on Esc, on a press outside and from its content', () => {
    render(
      <>
        <button type="button">elsewhere</button>
        <Popover label="Details" buttonClassName="b" region="More about it">
          {(close) => (
            <button type="button" onClick={close}>
              Done
            </button>
          )}
        </Popover>
      </>,
    );
    const trigger = screen.getByRole('button', { name: 'Details' });
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(trigger);
    expect(screen.getByRole('region', { name: 'More about it' })).toBeTruthy();
    expect(trigger.getAttribute('aria-expanded')).toBe('true');

    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByRole('region')).toBeNull();

    fireEvent.click(trigger);
    fireEvent.pointerDown(screen.getByRole('button', { name: 'elsewhere' }));
    expect(screen.queryByRole('region')).toBeNull();

    fireEvent.click(trigger);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region')).toBeNull();
  });
});
