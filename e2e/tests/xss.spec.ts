import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { marked } from 'marked';
import type { Mermaid } from 'mermaid';
import { catalogMarkers } from '../../web/src/features/catalog/catalog.markers.js';
import { insightsMarkers } from '../../web/src/features/insights/insights.markers.js';
import { inspectorMarkers } from '../../web/src/features/inspector/inspector.markers.js';
import { tourMarkers } from '../../web/src/features/tour/tour.markers.js';
import { traceMarkers } from '../../web/src/features/trace/trace.markers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { LivePage } from '../fixtures/livePage.js';
import {
  annotateXss,
  eventFields,
  fetchExport,
  learnedXssKinds,
  noteFields,
  served,
  writeXssCapture,
  xssFlows,
  type XssFlow,
} from '../fixtures/xssCapture.js';
import { xssVectors, type XssVector } from '../fixtures/xssCorpus.js';
import { injectedMarkup, XssProbe } from '../fixtures/xssProbe.js';

const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

/** A tab (or button) to press once a stop shows, and the text it must then show. */
type Press = Readonly<{ testId: string; expect: readonly string[] }>;

/** One stop of a walk through the app: an address, the element that shows it, the text it must show. */
type Stop = Readonly<{
  path: string;
  testId: string;
  attr?: string;
  value?: string;
  expect: readonly string[];
  press?: readonly Press[];
}>;

/**
 * Goes to each address inside the running app (as its own links do: history, no reload) and waits
 * until the view shows every expected text, then presses each tab of the stop and waits for its
 * text. Text is compared without NUL, U+FFFD, lone surrogates and runs of white space (stores and
 * renderers may replace or fold those). Returns what never showed.
 */
function walk(page: Page, stops: readonly Stop[]): Promise<string[]> {
  return page.evaluate(async (all) => {
    const norm = (s: string) =>
      s
        // eslint-disable-next-line no-control-regex -- NUL is one of the characters left out
        .replace(/[\u0000\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
    const missing: string[] = [];
    const find = (testId: string, attr?: string, value?: string) =>
      Array.from(document.querySelectorAll(`[data-testid="${testId}"]`)).find(
        (el) => attr === undefined || el.getAttribute(attr) === value,
      );
    /** Waits until the element shows every text; false (and what is missing noted) after 20 s. */
    const shows = async (where: string, get: () => Element | undefined, expected: readonly string[], tab?: string) => {
      const since = performance.now();
      let absent = expected.map(norm);
      for (;;) {
        // A tab is pressed until it shows as selected (the panel may still be loading the event).
        const button = tab === undefined ? undefined : (find(tab) as HTMLElement | undefined);
        if (button && button.getAttribute('aria-selected') !== 'true') button.click();
        const root = get();
        const text = root ? norm(root.textContent ?? '') : '';
        absent = root ? absent.filter((x) => !text.includes(x)) : absent;
        if (root && absent.length === 0) return true;
        if (performance.now() - since > 20_000) {
          missing.push(...(root ? absent.map((x) => `${where}: ${x}`) : [`${where}: nothing shown`]));
          return false;
        }
        await frame();
      }
    };
    for (const s of all) {
      // A broken view fails every stop: a few are enough to tell what is wrong.
      if (missing.length >= 5) break;
      history.pushState(null, '', s.path);
      dispatchEvent(new PopStateEvent('popstate'));
      const root = () => find(s.testId, s.attr, s.value);
      if (!(await shows(s.path, root, s.expect))) continue;
      for (const p of s.press ?? []) await shows(`${s.path} ${p.testId}`, root, p.expect, p.testId);
    }
    return missing;
  }, stops);
}

const json = (v: XssVector) => JSON.stringify(v.text);
const vectorsOf = (f: XssFlow) => f.events.flatMap((e) => (e.vector ? [e.vector] : []));
/** The app's address of one flow, as its own links write it (web/src/lib/routes.ts). */
const flowPath = (root: string, id: string) =>
  `${root}/${id
    .replace(/[%\r\n\u2028\u2029]/g, encodeURIComponent)
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
/** Mermaid entity codes (`#60;`) back to the characters they stand for. */
const decodeMermaid = (text: string) => text.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

/** A tar archive's files (the Markdown export): 512-byte headers, contents padded to 512. */
function untar(bytes: Uint8Array): Record<string, string> {
  const files: Record<string, string> = {};
  const text = (from: number, to: number) => new TextDecoder().decode(bytes.subarray(from, to)).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= bytes.length;) {
    const name = text(at, at + 100);
    if (!name) break;
    const size = parseInt(text(at + 124, at + 136).trim(), 8);
    files[`${text(at + 345, at + 500)}${name}`] = new TextDecoder().decode(bytes.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

test.describe('an XSS corpus in every field, view and export', () => {
  // Slow on a busy machine (the walks visit ~400 addresses); about 90 s on an idle one.
  test.describe.configure({ mode: 'serial', timeout: 150_000 });

  let server: FlowscopeProcess;
  let flows: XssFlow[];
  let kinds: Awaited<ReturnType<typeof learnedXssKinds>>;
  let notes = 0;
  let context: BrowserContext;
  let probe: XssProbe;
  let page: Page;
  const opened: string[] = [];
  let stops = 0;
  const injected: string[] = [];

  /** Flowscope's own pages: the app, and the exports it wrote, opened from disk. */
  const flowscopePage = (url: string) => url.startsWith(server.origin) || url.startsWith('file:');

  /** Nothing ran, no dialog, no window, no CSP violation or error on Flowscope's pages, no markup in the DOM. */
  async function expectClean(where: string, p: Page = page) {
    injected.push(...(await injectedMarkup(p)).map((m) => `${where}: ${m}`));
    expect(probe.count('exec'), `${where}: vectors that ran`).toEqual([]);
    expect(probe.count('dialog'), `${where}: dialogs`).toEqual([]);
    expect(probe.count('popup'), `${where}: windows opened`).toEqual([]);
    expect(probe.count('csp', flowscopePage), `${where}: CSP violations`).toEqual([]);
    expect(probe.count('pageerror', flowscopePage), `${where}: page errors`).toEqual([]);
    expect(injected, `${where}: markup in the DOM`).toEqual([]);
  }

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(90_000);
    const now = Date.now();
    flows = xssFlows(xssVectors, now);
    const capture = join(mkdtempSync(join(tmpdir(), 'flowscope-xss-')), 'xss.ndjson');
    writeXssCapture(capture, flows, now);
    server = await launchFlowscope(['--replay', capture, '--no-demo']);
    kinds = await learnedXssKinds(server, flows.length);
    notes = await annotateXss(server, xssVectors, kinds);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    probe = await XssProbe.attach(context);
    page = await context.newPage();
    // The probe sees a vector that does run (as markup, and as a dialog), so 0 below means none ran.
    await page.setContent(`<img src=x onerror="top.__xss('control')"><script>alert('control')</script>`);
    await expect
      .poll(() => probe.findings.map((f) => `${f.kind} ${f.detail}`).sort())
      .toEqual(['dialog alert: control', 'exec control']);
    probe.findings.length = 0;
  });

  test.afterAll(async () => {
    const figures = {
      vectors: xssVectors.length,
      fields: eventFields.length + noteFields.length,
      placements: xssVectors.length * eventFields.length + notes * noteFields.length,
      events: flows.reduce((n, f) => n + f.events.length, 0),
      notes,
      viewsAndExports: opened,
      addressesVisited: stops,
      executions: probe.count('exec').length + probe.count('dialog').length + probe.count('popup').length,
      cspViolations: probe.count('csp', flowscopePage).length,
      cspViolationsOfTestPages: probe.count('csp').length - probe.count('csp', flowscopePage).length,
      pageErrors: probe.count('pageerror', flowscopePage).length,
      markupInDom: injected.length,
    };
    console.log(`XSS corpus figures: ${JSON.stringify(figures, null, 2)}`);
    test.info().annotations.push({ type: 'xss figures', description: JSON.stringify(figures) });
    await context?.close();
    await server?.stop();
  });

  test('the live stream, the inspector and the map show every vector as text, and run none', async () => {
    const live = new LivePage(page);
    await live.open(server.openUrl);
    await expect.poll(() => live.rows.count()).toBeGreaterThan(10);
    opened.push('live stream', 'map');

    // Every service and channel is a node named by its vector (the exact name is `data-node-name`).
    for (const kind of ['service', 'channel'] as const) {
      await expect.poll(() => live.mapNodes(kind).count()).toBeGreaterThanOrEqual(xssVectors.length);
      const names = await live.mapNodes(kind).evaluateAll((els) => els.map((e) => e.getAttribute('data-node-name')));
      expect(
        xssVectors.filter((v) => !names.includes(served(v.text))).map((v) => v.id),
        `${kind} nodes`,
      ).toEqual([]);
    }
    const mapText = await live.map.evaluate((el) => el.textContent ?? '');
    expect(
      xssVectors.filter((v) => !mapText.includes(v.id)).map((v) => v.id),
      'map node text',
    ).toEqual([]);
    await expectClean('live view');

    // Each event in the inspector (as a click on its row opens it), tab by tab.
    const events = flows.flatMap((f) => f.events.flatMap((e) => (e.vector ? [{ ...e, vector: e.vector }] : [])));
    const visits: Stop[] = events.map(({ event, vector: v }) => ({
      path: `/?${new URLSearchParams({ event: served(event.id) }).toString()}`,
      testId: inspectorMarkers.root,
      attr: 'data-event-id',
      value: served(event.id),
      expect: [],
      press: [
        { testId: inspectorMarkers.tab('payload'), expect: [json(v)] },
        { testId: inspectorMarkers.tab('headers'), expect: [v.text] },
        { testId: inspectorMarkers.tab('metadata'), expect: [v.text] },
      ],
    }));
    stops += visits.length;
    const missing = await walk(page, visits);
    expect(missing, 'inspector').toEqual([]);
    await expectClean('inspector');
    // The rows in view show their event's channel, type, producer and key as text.
    const rows = await live.rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-event-id'), e.textContent]));
    expect(rows.length).toBeGreaterThan(5);
    for (const [id, text] of rows) {
      const v = events.find((e) => served(e.event.id) === id)?.vector;
      if (v) expect(text?.split(served(v.text)).length, `row of ${v.id}`).toBeGreaterThanOrEqual(4);
    }
    opened.push('inspector (payload, headers, metadata)');
  });

  test('the trace of each flow (timeline, sequence, steps, diff), its tour and entity history run none', async () => {
    const live = new LivePage(page);
    if (!page.url().startsWith(server.origin)) await live.open(server.openUrl);
    const visits: Stop[] = flows.flatMap((f, n) => {
      const vs = vectorsOf(f);
      const at = flowPath('/trace', served(f.id));
      return [
        {
          path: at,
          testId: traceMarkers.flowPage,
          attr: 'data-flow-id',
          value: served(f.id),
          expect: vs.map((v) => v.text),
        },
        { path: `${at}?view=sequence`, testId: traceMarkers.sequenceRoot, expect: vs.map((v) => v.text) },
        // Each step's diff against the one before: the added payload key is the step's vector.
        ...f.events.map(({ event, vector }, i) => ({
          path: `${at}?${new URLSearchParams({ step: served(event.id), tab: 'diff' })}`,
          testId: traceMarkers.inspector,
          attr: 'data-event-id',
          value: served(event.id),
          expect: vector && i > 0 ? [`[${JSON.stringify(vector.text)}]`] : [],
        })),
        // The tour draws one step at a time on the map (slowly): every step of the first flow,
        // the first step of the others.
        ...f.events.slice(0, n === 0 ? f.events.length : 1).map((e, i) => ({
          path: `${flowPath('/tour', served(f.id))}${i > 0 ? `?step=${i + 1}` : ''}`,
          testId: tourMarkers.root,
          attr: 'data-step',
          value: String(i + 1),
          expect: e.vector ? [e.vector.text] : [],
        })),
        {
          path: `/entity?${new URLSearchParams({ key: 'xssGroup', value: `xss-group-${n + 1}` })}`,
          testId: traceMarkers.entityPage,
          expect: vs.map((v) => v.text),
        },
      ];
    });
    stops += visits.length;
    expect(await walk(page, visits), 'trace, tour and entity views').toEqual([]);
    opened.push('trace timeline', 'trace sequence diagram', 'trace step diff', 'tour', 'entity history');
    await expectClean('trace, tour and entity views');
  });

  test('the catalog (kinds, steps, types, schemas and examples, notes) and the insights run none', async () => {
    const live = new LivePage(page);
    if (!page.url().startsWith(server.origin)) await live.open(server.openUrl);
    await walk(page, [{ path: '/catalog', testId: catalogMarkers.root, expect: [] }]);
    // Channel cards open one at a time (each opening re-renders the list).
    const toggles = page.getByTestId(catalogMarkers.channelToggle);
    await expect.poll(() => toggles.count()).toBeGreaterThanOrEqual(xssVectors.length);
    await toggles.evaluateAll(async (els) => {
      for (const el of els) {
        if (el.getAttribute('aria-expanded') === 'true') continue;
        (el as HTMLElement).click();
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    await expect(page.locator(`[data-testid="${catalogMarkers.channelToggle}"][aria-expanded="false"]`)).toHaveCount(0);
    stops += 2;
    const missing = await walk(page, [
      {
        path: `/catalog${new URL(page.url()).search}`,
        testId: catalogMarkers.root,
        expect: xssVectors.map((v) => v.text),
      },
    ]);
    expect(missing, 'catalog').toEqual([]);
    await expectClean('catalog');
    opened.push('catalog');

    // Every type is measured (semantics, schema changes, consumers): each vector shows there as text.
    stops += 1;
    const shown = await walk(page, [
      { path: '/insights', testId: insightsMarkers.root, expect: xssVectors.map((v) => v.id) },
    ]);
    expect(shown, 'insights').toEqual([]);
    await expectClean('insights');
    opened.push('insights');
  });

  test('the HTML export, opened from disk, shows every vector as text and runs none', async () => {
    const html = new TextDecoder().decode(await fetchExport(server, '/api/export/html'));
    const file = join(mkdtempSync(join(tmpdir(), 'flowscope-xss-html-')), 'flowscope-docs.html');
    writeFileSync(file, html);
    const view = await context.newPage();
    await view.goto(pathToFileURL(file).href);
    const text = await view.evaluate(() => document.body.textContent ?? '');
    expect(
      xssVectors.filter((v) => !text.includes(v.id)).map((v) => v.id),
      'HTML export text',
    ).toEqual([]);
    await expectClean('HTML export', view);
    await view.close();
    opened.push('HTML export (file://)');
  });

  test('the Markdown export, rendered by marked without sanitizing, shows every vector as text and runs none', async () => {
    const files = untar(new Uint8Array(await fetchExport(server, '/api/export/markdown')));
    expect(Object.keys(files).length).toBeGreaterThan(xssVectors.length);
    const html = Object.entries(files)
      .map(([name, md]) => `<article data-file="${name}">${marked.parse(md, { async: false })}</article>`)
      .join('\n');
    const view = await context.newPage();
    await view.setContent(`<!doctype html><meta charset="utf-8"><body>${html}</body>`);
    const text = await view.evaluate(() => document.body.textContent ?? '');
    expect(
      xssVectors.filter((v) => !text.includes(v.id)).map((v) => v.id),
      'Markdown text',
    ).toEqual([]);
    await expectClean('Markdown export', view);
    await view.close();
    opened.push('Markdown export (marked)');
  });

  test('the Mermaid exports hold no raw vector and, rendered by Mermaid, run none', async () => {
    const paths = [
      '/api/export/mermaid',
      ...flows.map((f) => `/api/export/mermaid?flow=${encodeURIComponent(served(f.id))}`),
      ...kinds.map((k) => `/api/export/mermaid?kind=${encodeURIComponent(k.kind)}`),
    ];
    const diagrams = await Promise.all(paths.map(async (p) => new TextDecoder().decode(await fetchExport(server, p))));
    // Every line is one of the statements Flowscope writes, every name in it entity-coded text behind
    // a generated id: no markup, directive, quote, click, style or statement of a vector's own.
    const label = '[A-Za-z0-9 _.\\-/@#;]*';
    const statement = new RegExp(
      [
        'flowchart LR',
        'sequenceDiagram',
        `  title ${label}`,
        `  (actor|participant) [a-z]\\d+ as ${label}`,
        `  [a-z]\\d+(->>|-->>)[a-z]\\d+: ${label}`,
        `  Note (over|right of) [a-z]\\d+: ${label}`,
        `  [a-z]\\d+(\\[\\("${label}"\\)\\]|\\["${label}"\\])`,
        `  [a-z]\\d+ (-->|-\\.->)\\|"${label}"\\| [a-z]\\d+`,
        '',
      ]
        .map((s) => `^${s}$`)
        .join('|'),
    );
    for (const [i, text] of diagrams.entries())
      expect(
        text.split('\n').filter((l) => !statement.test(l)),
        `${paths[i]}: lines not written by Flowscope`,
      ).toEqual([]);
    const all = decodeMermaid(diagrams.join('\n'));
    expect(
      xssVectors.filter((v) => !all.includes(v.id)).map((v) => v.id),
      'Mermaid text',
    ).toEqual([]);

    const view = await context.newPage();
    await view.setContent('<!doctype html><meta charset="utf-8"><body><div id="out"></div></body>');
    await view.addScriptTag({ path: mermaidScript });
    const errors = await view.evaluate(async (texts) => {
      const m = (window as unknown as { mermaid: Mermaid }).mermaid;
      // The default security level, and room for a map of 300 nodes with entity-coded names.
      m.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 1_000_000, maxEdges: 5000 });
      const out = document.getElementById('out') as HTMLElement;
      const failed: string[] = [];
      for (const [i, text] of texts.entries()) {
        try {
          const { svg, bindFunctions } = await m.render(`d${i}`, text);
          const box = document.createElement('div');
          box.innerHTML = svg;
          out.append(box);
          bindFunctions?.(box);
        } catch (err) {
          failed.push(`${i}: ${(err as Error).message}`);
        }
      }
      return failed;
    }, diagrams);
    expect(errors, 'Mermaid render errors').toEqual([]);
    const text = await view.evaluate(() => document.body.textContent ?? '');
    expect(
      xssVectors.filter((v) => !text.includes(v.id)).map((v) => v.id),
      'rendered Mermaid',
    ).toEqual([]);
    await expectClean('Mermaid render', view);
    await view.close();
    opened.push(`Mermaid exports rendered (${diagrams.length} diagrams: map, flows, kinds)`);
  });

  test('the map as SVG, opened from disk, runs none and shows every name as text', async () => {
    const live = new LivePage(page);
    await live.open(server.openUrl);
    await expect.poll(() => live.mapNodes('service').count()).toBeGreaterThanOrEqual(xssVectors.length);
    const [download] = await Promise.all([page.waitForEvent('download'), live.mapExport('map-svg').click()]);
    const file = test.info().outputPath('xss-map.svg');
    await download.saveAs(file);
    const view = await context.newPage();
    await view.goto(pathToFileURL(file).href);
    await expectClean('SVG export', view);
    opened.push('SVG export (file://)');
    // An SVG file is XML: a name holding NUL or a C0 control made it one no viewer opens.
    const text = await view.evaluate(() =>
      document.querySelector('parsererror') ? 'not well-formed' : (document.documentElement.textContent ?? ''),
    );
    expect(
      xssVectors.filter((v) => !text.includes(v.id)).map((v) => v.id),
      'SVG text',
    ).toEqual([]);
    await view.close();
  });
});
