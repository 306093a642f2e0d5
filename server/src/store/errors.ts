/** Why the store could not open, as something a person can fix. */
export class StoreOpenError extends Error {
  constructor(
    readonly reason: 'unwritable' | 'corrupt' | 'newer-schema',
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

export function describeOpenError(err: unknown, dir: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const e = err as NodeJS.ErrnoException & { code?: string };
  const text = e?.message ?? String(err);
  if (
    e?.code === 'EACCES' ||
    e?.code === 'EROFS' ||
    e?.code === 'EPERM' ||
    /readonly|read-only|unable to open|SQLITE_CANTOPEN|SQLITE_READONLY/i.test(`${e?.code} ${text}`)
  ) {
    return new StoreOpenError(
      'unwritable',
      `Cannot write to the data directory ${dir}: ${text}`,
      'Choose a writable folder with --data-dir, or fix its permissions.',
    );
  }
  if (/not a database|malformed|SQLITE_NOTADB|SQLITE_CORRUPT/i.test(`${e?.code} ${text}`)) {
    return new StoreOpenError(
      'corrupt',
      `The data directory ${dir} holds a damaged or foreign database: ${text}`,
      'Move the folder aside (Flowscope starts fresh in an empty one) or point --data-dir elsewhere.',
    );
  }
  return new StoreOpenError(
    'unwritable',
    `Cannot open the data directory ${dir}: ${text}`,
    'Choose another folder with --data-dir.',
  );
}
