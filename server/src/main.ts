#!/usr/bin/env node
import { buildCli, resolveConfig } from './config.js';
import { rootLogger } from './log.js';
import { describeSources, startServer } from './server.js';
import { StoreOpenError } from './store/errors.js';
import { Stopper } from './stop.js';

if (process.argv[2] === 'export') {
  const { runExport } = await import('./export/exportCli.js');
  process.exit(await runExport(process.argv.slice(3)));
}

const cli = buildCli();
cli.parse();
const result = resolveConfig(cli);
if (!result.ok) {
  process.stderr.write(
    `flowscope: invalid configuration\n${result.errors.map((e) => `  - ${e}`).join('\n')}\nRun flowscope --help for every option.\n`,
  );
  process.exit(2);
}

// Listening before the server starts: a Ctrl-C during startup still stops it cleanly.
const stopper = new Stopper({
  write: (text) => process.stdout.write(text),
  exit: (code) => process.exit(code),
  dataDir: result.config.dataDir,
}).listen();

try {
  const server = await startServer(result.config);
  const { config } = result;
  const what = describeSources(config);
  process.stdout.write(`\nFlowscope is watching ${what || 'nothing yet'}.\nOpen ${server.openUrl}\n\n`);
  stopper.serving(server);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  if (err instanceof StoreOpenError) {
    process.stderr.write(`flowscope: ${err.message}\n  ${err.hint}\n`);
    process.exit(1);
  }
  const message =
    e.code === 'EADDRINUSE'
      ? `port ${result.config.port} is already in use; pick another with --port (or --port 0 for any free port)`
      : e.code === 'EADDRNOTAVAIL'
        ? `cannot bind ${result.config.host}: no such address on this machine`
        : (e.message ?? String(err));
  rootLogger.error({ code: e.code }, message);
  process.stderr.write(`flowscope: ${message}\n`);
  process.exit(1);
}
