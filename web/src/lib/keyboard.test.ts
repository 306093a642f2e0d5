import { describe, expect, it } from 'vitest';
import { isEditable } from './keyboard';

describe('isEditable', () => {
  it('leaves keys typed into fields, selects and editable content to them', () => {
    for (const tag of ['input', 'textarea', 'select']) expect(isEditable(document.createElement(tag))).toBe(true);
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    // jsdom does not derive isContentEditable from the attribute.
    Object.defineProperty(editable, 'isContentEditable', { value: true });
    expect(isEditable(editable)).toBe(true);
  });

  it('takes keys pressed anywhere else as shortcuts', () => {
    expect(isEditable(document.createElement('button'))).toBe(false);
    expect(isEditable(document.body)).toBe(false);
    expect(isEditable(null)).toBe(false);
    expect(isEditable(window)).toBe(false);
  });
});
