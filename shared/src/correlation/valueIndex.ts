import { StringIndex } from './stringIndex.js';

/** The values of one key name → their key records' numbers; the name's one string for its records. */
export class ValueIndex extends StringIndex {
  constructor(
    holds: (value: number, key: string) => boolean,
    readonly name: string,
  ) {
    super(holds);
  }
}
