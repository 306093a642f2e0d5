import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of this server. The build runs as it is; from TypeScript
 * sources (vitest, tsx, run from the repository) the thread registers tsx before importing the
 * module (a fixed bootstrap, no outside input), since a worker does not inherit the loader.
 */
export function startThread(module: URL, options: WorkerOptions): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`,
    { ...options, eval: true },
  );
}
