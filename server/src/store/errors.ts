/** Why the store could not open, as something a person can fix. */
export class StoreOpenError extends Error {
  constructor(
    readonly reason: 'unwritable' | 'corrupt' | 'newer-schema' | 'native-module',
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/**
 * better-sqlite3's compiled part did not load: built for another Node version (ABI), not built, or
 * not a module for this machine. Nothing to do with the data directory.
 */
function nativeLoadFailure(e: NodeJS.ErrnoException | undefined, text: string): boolean {
  return (
    e?.code === 'ERR_DLOPEN_FAILED' ||
    /NODE_MODULE_VERSION|Could not locate the bindings file|invalid ELF header|wrong ELF class/.test(text) ||
    (e?.code === 'MODULE_NOT_FOUND' && /\.node\b/.test(text))
  );
}

function describeNativeError(text: string): StoreOpenError {
  const abi = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
    text.replace(/\s+/g, ' '),
  );
  const why = abi
    ? `it was built for another Node.js version (module version ${abi[1]}; this Node needs ${abi[2]})`
    : (text.split('\n')[0] ?? text);
  return new StoreOpenError(
    'native-module',
    `The native module better-sqlite3 (Flowscope's SQLite driver) does not load in Node.js ${process.version}: ${why}.`,
    'Run `npm start`, which rebuilds it for the Node that runs it, or rebuild it yourself with this Node: `pnpm rebuild better-sqlite3` (`npm rebuild better-sqlite3` in an npm install). `--no-store` starts without history meanwhile.',
  );
}

export function describeOpenError(err: unknown, dir: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const e = err as NodeJS.ErrnoException & { code?: string };
  const text = e?.message ?? String(err);
  if (nativeLoadFailure(e, text)) return describeNativeError(text);
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
