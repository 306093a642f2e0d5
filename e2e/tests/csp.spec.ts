import { expect, test } from '../fixtures/test.js';

test.describe('the content security policy', () => {
  test('no page reports a violation, so a real one stands out', async ({ live, demo }) => {
    await live.page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
      );
    });
    const violations = () => live.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    await live.open(demo.openUrl);
    await expect.poll(() => live.rows.count()).toBeGreaterThan(5);
    for (const path of ['/catalog', '/insights', '/']) {
      await live.page.goto(`${demo.origin}${path}`);
      await live.page.waitForLoadState('networkidle');
      expect(await violations(), path).toEqual([]);
    }
  });
});
