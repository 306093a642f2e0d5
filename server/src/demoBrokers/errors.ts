/** A name the demo wants on a broker exists already: it is someone else's, or left by a killed demo. */
export class NameTaken extends Error {
  constructor(
    readonly what: string,
    readonly resource: string,
  ) {
    super(
      `${what} "${resource}" already exists. The demo creates its own and deletes them when it stops, so it never uses one it did not create: delete it if it is a leftover of an earlier demo, or choose other names with --prefix.`,
    );
    this.name = 'NameTaken';
  }
}
