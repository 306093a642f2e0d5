// Native modules (better-sqlite3) and the Node they are built for. Used by run.mjs:
//  - node-gyp gets headers for the Node that runs, never another installation's;
//  - a better-sqlite3 that does not load in this Node (built for another ABI) is found before the
//    server starts, and so is one that would abort the process at a garbage collection (below);
//  - CI fetches a second Node (24) from the npm registry and builds better-sqlite3 for it in a
//    separate folder, loaded through FLOWSCOPE_SQLITE_BINDING, so the installed build is untouched.
//
// Node 24.19 changed node::ObjectWrap in its headers (nodejs/node#65446): an addon built against
// them calls node::RemoveEnvironmentCleanupHook when a wrapped object is collected, which aborts
// the process ("Assertion failed: (env) != nullptr") when the collection runs outside JavaScript.
// better-sqlite3 12 wraps every statement that way. A build against the last headers of the line
// without the change (same ABI) runs cleanly on every 24.x.
// node: built-ins only.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The environment variable the store reads: a better_sqlite3.node to load instead of the installed one. */
export const SQLITE_BINDING_ENV = 'FLOWSCOPE_SQLITE_BINDING';

/** For each Node line whose headers have the ObjectWrap change: the last release without it. */
const HEADERS_WITHOUT_OBJECTWRAP_HOOKS = { 24: '24.18.1' };
/** The import an addon has only when built against headers with the ObjectWrap change. */
const OBJECTWRAP_HOOK_SYMBOL = 'RemoveEnvironmentCleanupHook';

const headerFile = (dir, name) => join(dir, 'include', 'node', name);

/** NODE_MODULE_VERSION (the native ABI) and major version of the headers in `<dir>/include/node`. */
function headersVersion(dir) {
  const file = headerFile(dir, 'node_version.h');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const abi = [...text.matchAll(/^#define NODE_MODULE_VERSION (\d+)/gm)].at(-1)?.[1];
  const major = /^#define NODE_MAJOR_VERSION (\d+)/m.exec(text)?.[1];
  return { abi, major };
}

/** Whether addons built against these headers abort when a wrapped object is collected. */
function headersAbortOnGc(dir) {
  const file = headerFile(dir, 'node_object_wrap.h');
  return existsSync(file) && readFileSync(file, 'utf8').includes(OBJECTWRAP_HOOK_SYMBOL);
}

/** Whether this compiled addon was built against such headers. */
function bindingAbortsOnGc(file) {
  return existsSync(file) && readFileSync(file).includes(OBJECTWRAP_HOOK_SYMBOL);
}

/** The installation prefix of a node binary: `/usr` for `/usr/bin/node`. */
export function prefixOf(nodeBin) {
  return dirname(dirname(realpathSync(nodeBin)));
}

/**
 * Where node-gyp finds headers for `nodeBin`: a configured npm_config_nodedir when its headers are
 * for the same ABI, else the prefix of the node itself; undefined lets node-gyp download them
 * (it cannot everywhere, hence local headers first). Headers with the ObjectWrap change are
 * replaced by the same line's last release without it, fetched by `fetch(version)`.
 * Returns { dir, replaced } where `replaced` names the version used instead.
 */
export function buildHeaders(nodeBin, abi, fetch, configured = process.env.npm_config_nodedir) {
  const dir = [configured, prefixOf(nodeBin)].find((d) => d && headersVersion(d)?.abi === abi);
  if (!dir || !headersAbortOnGc(dir)) return { dir };
  const safe = HEADERS_WITHOUT_OBJECTWRAP_HOOKS[headersVersion(dir)?.major ?? ''];
  return safe ? { dir: fetch(safe), replaced: safe } : { dir };
}

const PROBE = `const Database = require('better-sqlite3');
new Database(':memory:', { nativeBinding: process.env.${SQLITE_BINDING_ENV} || undefined }).close();`;

/** The installed better-sqlite3 package folder, version and compiled module. */
export function installedSqlite(root) {
  const dir = realpathSync(join(root, 'server', 'node_modules', 'better-sqlite3'));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { dir, version, binding: join(dir, 'build', 'Release', 'better_sqlite3.node') };
}

/**
 * Why better-sqlite3 cannot serve Flowscope in `nodeBin` (the first lines of the error), or
 * undefined when it can. Loads it in a child process, so this launcher never holds a module it
 * may rebuild; then checks the module for the ObjectWrap change.
 */
export function sqliteProblem(root, nodeBin, env = process.env) {
  const r = spawnSync(nodeBin, ['-e', PROBE], { cwd: join(root, 'server'), env, encoding: 'utf8' });
  if (r.status !== 0) {
    const lines = `${r.stderr ?? ''}${r.error?.message ?? ''}`.split('\n').filter((l) => l.trim());
    const start = Math.max(
      0,
      lines.findIndex((l) => /Error/.test(l)),
    );
    return (
      lines
        .slice(start, start + 4)
        .join(' ')
        .trim() || `exit ${r.status}`
    );
  }
  const binding = env[SQLITE_BINDING_ENV] || installedSqlite(root).binding;
  if (bindingAbortsOnGc(binding)) {
    return `${binding} was built against Node headers whose ObjectWrap aborts the process when a statement is garbage collected (nodejs/node#65446)`;
  }
  return undefined;
}

/** The npm package that carries a Node build for this platform (bin/node and include/node). */
function nodePackageName() {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${platform}-${process.arch}`;
}

/**
 * Node `spec` (a major such as 24, or an exact version) from the npm registry, unpacked under
 * `<cacheDir>/node<spec>/package` (kept; delete the folder to fetch the newest release of a
 * major). Returns its binary, prefix, version and native ABI.
 */
export function fetchNode(cacheDir, spec, run) {
  const home = join(cacheDir, `node${spec}`);
  const prefix = join(home, 'package');
  const bin = join(prefix, 'bin', 'node');
  if (!existsSync(bin)) {
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    run('npm', ['pack', `${nodePackageName()}@${spec}`, '--pack-destination', home, '--silent']);
    const tarball = readdirSync(home).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack left no tarball in ${home}`);
    run('tar', ['-xzf', join(home, tarball), '-C', home]);
    rmSync(join(home, tarball));
  }
  const said = spawnSync(bin, ['-p', 'process.version + " " + process.versions.modules'], { encoding: 'utf8' });
  const [version = '', abi = ''] = (said.stdout ?? '').trim().split(' ');
  if (version !== `v${spec}` && !version.startsWith(`v${spec}.`)) {
    throw new Error(`${bin} is not Node ${spec} (it says ${version || said.stderr})`);
  }
  return { bin, prefix, version, abi };
}

/** node-gyp's entry point: npm's own (npm sets npm_config_node_gyp for scripts), or npm's global copy. */
function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [fromNpm];
  const globalRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout?.trim();
  const bundled = globalRoot && join(globalRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return bundled && existsSync(bundled) ? [bundled] : undefined;
}

/**
 * better-sqlite3 (the installed version) compiled for another Node, from a copy of its sources,
 * into `<cacheDir>/node<major>/better-sqlite3-<version>`; the installed build is not touched.
 * `headers` is the prefix node-gyp builds against. Returns the compiled module, to pass as
 * FLOWSCOPE_SQLITE_BINDING.
 */
export function sqliteBindingFor(root, node, headers, run) {
  const { dir: source, version } = installedSqlite(root);
  const dir = join(dirname(node.prefix), `better-sqlite3-${version}`);
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  const env = { ...process.env, [SQLITE_BINDING_ENV]: binding };
  if (existsSync(binding) && !sqliteProblem(root, node.bin, env)) return { binding, built: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) {
    cpSync(join(source, part), join(dir, part), { recursive: true });
  }
  const gyp = nodeGyp();
  const args = ['rebuild', '--release', `--nodedir=${headers}`];
  // node-gyp runs on the Node it builds for; npx's node-gyp is the fallback where npm has none.
  if (gyp) run(node.bin, [...gyp, ...args], { cwd: dir });
  else run('npx', ['--yes', 'node-gyp', ...args], { cwd: dir });
  const problem = sqliteProblem(root, node.bin, env);
  if (problem) throw new Error(`better-sqlite3 built for ${node.version} cannot be used: ${problem}`);
  return { binding, built: true };
}
