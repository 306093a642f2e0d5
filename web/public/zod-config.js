// Runs before the app's modules (a classic script, not deferred): zod reads this shared setting
// as its schemas are made, when the app's first chunk loads. Without it zod probes `new Function`,
// which the page's CSP forbids, and the browser reports a violation on every page load.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
