// Which module may import which: the one place for import rules (ESLint checks code shape,
// knip unused exports). `pnpm lint` runs it; each rule's comment is the message a violation
// prints, so it says what to use instead. Paths are resolved files, relative to the repo root.

/** Broker client libraries, present and planned: adding a broker must not touch this file. */
const BROKER_CLIENTS = [
  'kafkajs',
  'amqplib',
  'amqp-connection-manager',
  'rhea',
  'ioredis',
  'redis',
  '@redis/[^/]+',
  'nats',
  '@nats-io/[^/]+',
  'mqtt',
  '@aws-sdk/[^/]+',
  '@smithy/[^/]+',
];
/** Installed (resolved into node_modules), or named but not installed yet. */
const brokerClient = [`(^|/)node_modules/(${BROKER_CLIENTS.join('|')})/`, `^(${BROKER_CLIENTS.join('|')})(/|$)`];

const TEST_FILE = '\\.test\\.tsx?$';
/**
 * The layer rules guard what ships: a test (or its kit) may drive several layers together, such
 * as a store test fed by the real pipeline, without making the store depend on ingest.
 */
const TEST_OR_KIT = '\\.(test|testkit)\\.tsx?$';
const FEATURE_ENTRY = '^web/src/features/[^/]+/index\\.tsx?$';
const FEATURE_INDEX =
  "A feature uses another feature only through what it exports for that: import '../<feature>' " +
  "(its index.ts), not '../<feature>/<file>'. Generic UI goes to web/src/components, helpers to web/src/lib.";

module.exports = {
  forbidden: [
    // ── Server layers, along the data path: sources → ingest → store → realtime/http ──
    {
      // An allow-list, so that new wiring at the top of server/src (registry, stop, …) is covered too.
      name: 'sources-not-downstream',
      severity: 'error',
      comment:
        'A source only tails its broker and hands raw records over: it imports server/src/sources/contract.ts ' +
        '(records, sink, status), server/src/sources/plugin.ts (plugin types), server/src/configValues.ts ' +
        '(value parsers) and server/src/log.ts, never ingest, store, realtime, http, export or the wiring ' +
        '(config, server, main). Decoding and normalizing happen in ingest.',
      from: { path: '^server/src/sources/', pathNot: TEST_OR_KIT },
      to: {
        path: '^server/src/',
        pathNot: ['^server/src/sources/', '^server/src/(configValues|log)\\.ts$'],
      },
    },
    {
      name: 'source-kinds-apart',
      severity: 'error',
      comment:
        "A source folder does not import another broker's folder: share code through " +
        'server/src/sources/contract.ts (or a helper beside it), so each broker stays a folder plus its tests.',
      from: { path: '^server/src/sources/([^/]+)/' },
      to: { path: '^server/src/sources/[^/]+/', pathNot: '^server/src/sources/$1/' },
    },
    {
      name: 'ingest-sees-only-the-source-contract',
      severity: 'error',
      comment:
        'Ingest knows sources only through server/src/sources/contract.ts (RawRecord, the sink, status) ' +
        'and server/src/sources/plugin.ts; a broker-specific need belongs in the contract or in the source.',
      from: { path: '^server/src/ingest/', pathNot: TEST_OR_KIT },
      to: {
        path: '^server/src/sources/',
        pathNot: '^server/src/sources/(contract|plugin)\\.ts$',
      },
    },
    {
      name: 'store-not-downstream',
      severity: 'error',
      comment:
        'The store keeps what ingest hands it and answers queries: take the types it needs from ' +
        '@flowscope/shared or define them in server/src/store, never from ingest, sources, realtime or http.',
      from: { path: '^server/src/store/', pathNot: TEST_OR_KIT },
      to: { path: '^server/src/(ingest|sources|realtime|http)/' },
    },
    {
      name: 'realtime-not-http',
      severity: 'error',
      comment:
        'realtime (socket.io) and http (REST) are siblings at the end of the data path: move what both ' +
        'need into the query side (server/src/ingest or server/src/store) or @flowscope/shared.',
      from: { path: '^server/src/realtime/', pathNot: TEST_OR_KIT },
      to: { path: '^server/src/http/' },
    },
    {
      name: 'broker-clients-only-in-sources',
      severity: 'error',
      comment:
        'A broker client library is imported only inside its source folder server/src/sources/<kind>/ ' +
        '(and loaded only when configured); elsewhere use the source contract or the plugin list. ' +
        'Exceptions: the broker benches server/src/bench/{kafka,redis,rabbit,nats,mqtt}Bench.ts (each compares ' +
        'with a bare client of the library its source uses), server/src/demoBrokers/ ' +
        '(the demo shop publishing to real brokers, run by pnpm demo:brokers, never by the server), tests and scripts.',
      from: {
        path: '^(server/src|shared/src|web/src)/',
        pathNot: [
          '^server/src/sources/[^/]+/',
          '^server/src/bench/(kafka|redis|rabbit|nats|mqtt)Bench\\.ts$',
          '^server/src/demoBrokers/',
        ],
      },
      to: { path: brokerClient },
    },

    // ── Packages: web → shared, server → shared, through the entry point ──
    {
      name: 'server-and-web-apart',
      severity: 'error',
      comment:
        'Imports point one way: web → shared and server → shared. Move what both ends need into ' +
        '@flowscope/shared; the server and the web app never import each other.',
      from: { path: '^(server|web)/' },
      to: { path: '^(server|web)/', pathNot: '^$1/' },
    },
    {
      name: 'shared-imports-nothing-of-ours',
      severity: 'error',
      comment: 'shared is the bottom layer: it never imports the server, the web app, e2e or scripts.',
      from: { path: '^shared/' },
      to: { path: '^(server|web|e2e|scripts)/' },
    },
    {
      name: 'shared-through-its-entry-point',
      severity: 'error',
      comment: 'Import from "@flowscope/shared" (its entry point, shared/src/index.ts), not from its files.',
      from: { pathNot: '^shared/' },
      // A resolved file of shared, or an unresolvable '@flowscope/shared/…' (its package exports only '.').
      to: { path: ['^shared/src/', '^@flowscope/shared/'], pathNot: '^shared/src/index\\.ts$' },
    },
    {
      name: 'shared-has-no-node',
      severity: 'error',
      comment:
        'shared is pure and its tests run without Node built-ins: pass what you need in as arguments ' +
        '(time, randomness, file contents), and build test inputs in memory.',
      from: { path: '^shared/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-depends-on-zod-only',
      severity: 'error',
      comment:
        'shared is pure: no UI, socket, broker or server packages (zod only), so the same engine runs in ' +
        'the server, the browser and tests. Tests may use their dev dependencies.',
      from: { path: '^shared/src/', pathNot: '\\.test(kit)?\\.ts$' },
      to: { dependencyTypesNot: ['local', 'core'], pathNot: '(^|/)node_modules/zod/' },
    },
    // ── Web ──
    {
      name: 'web-features-through-their-index',
      severity: 'error',
      comment: FEATURE_INDEX,
      from: { path: '^web/src/features/([^/]+)/', pathNot: TEST_FILE },
      to: { path: '^web/src/features/[^/]+/', pathNot: ['^web/src/features/$1/', FEATURE_ENTRY] },
    },
    {
      // A test may also use another feature's fixtures and test ids: exporting them from its index.ts
      // would put test data into the app's public surface.
      name: 'web-feature-tests-through-their-index',
      severity: 'error',
      comment: FEATURE_INDEX,
      from: { path: ['^web/src/features/([^/]+)/.+' + TEST_FILE] },
      to: {
        path: '^web/src/features/[^/]+/',
        pathNot: ['^web/src/features/$1/', FEATURE_ENTRY, '\\.(fixtures|markers)\\.ts$'],
      },
    },
    {
      name: 'web-generic-below-features',
      severity: 'error',
      comment:
        'web/src/components, lib and stores are below the features and know none of them: move what ' +
        'they need down beside them, or let the feature pass it in (props, arguments).',
      from: { path: '^web/src/(components|lib|stores)/' },
      to: { path: '^web/src/features/' },
    },
    {
      name: 'socket-only-in-lib-socket',
      severity: 'error',
      comment: 'Only web/src/lib/socket.ts talks to socket.io; read live state from stores/liveStore.',
      from: { path: '^web/src/', pathNot: '^web/src/lib/socket\\.ts$' },
      to: { path: '(^|/)node_modules/socket\\.io-client/' },
    },

    // ── Everywhere ──
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycle: modules that import each other are one module in disguise. Move the shared ' +
        'part (often a type) into a third module both import, or invert one dependency.',
      from: { path: '^(server/src|shared/src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import does not resolve to a file or an installed package (a deep import into a package, or a typo?).',
      from: {},
      to: { couldNotResolve: true, pathNot: '^@flowscope/shared/' },
    },
  ],
  options: {
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['(^|/)dist/', '^\\.cache/'] },
    // Type-only imports are dependencies too: a layer that needs another's types depends on it.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      // `source` resolves @flowscope/shared to its TypeScript sources, as vite and tsc do.
      conditionNames: ['source', 'import', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.d.ts', '.d.mts', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
