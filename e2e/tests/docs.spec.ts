import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect, test } from '../fixtures/test.js';

test.describe('documentation export', () => {
  test('the HTML page opens from disk, with no server, and shows the learned flow kinds', async ({
    demo,
    page,
    request,
  }, info) => {
    const auth = { authorization: `Bearer ${demo.token}` };
    // Kinds are learned from flows that completed and settled (15 s without new events).
    let kinds: string[] = [];
    await expect
      .poll(
        async () => {
          const res = await request.get(`${demo.origin}/api/catalog`, { headers: auth });
          kinds = ((await res.json()) as { kinds: { kind: string }[] }).kinds.map((k) => k.kind);
          return kinds.length;
        },
        { timeout: 90_000, intervals: [1000] },
      )
      .toBeGreaterThan(0);

    const res = await request.get(`${demo.origin}/api/export/html`, { headers: auth });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toBe('attachment; filename="flowscope-docs.html"');
    const file = info.outputPath('flowscope-docs.html');
    writeFileSync(file, await res.body());

    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Observed event flows');
    for (const kind of kinds) await expect(page.getByRole('heading', { name: `Flow kind: ${kind}` })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Channel: orders' })).toBeVisible();
    // A link in the page goes to its section, on the page itself.
    await page.getByRole('navigation').getByRole('link', { name: 'Channel: orders' }).click();
    await expect(page).toHaveURL(/#s-channels-shop-orders\.md$/);
    await expect(page.getByRole('heading', { name: 'Channel: orders' })).toBeInViewport();
    expect(requests).toEqual([]); // self-contained: nothing is fetched
    const shot = info.outputPath('docs-html.png');
    await page.screenshot({ path: shot });
    await info.attach('docs-html', { path: shot, contentType: 'image/png' });
  });
});
