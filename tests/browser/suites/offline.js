'use strict';
/* The site opened straight from disk (file://), and with JavaScript turned off. */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { open, watch, QUERY } = require('../lib/harness');

async function cssApplied(page) {
  return page.evaluate(() => {
    const header = document.querySelector('.site-header');
    const bg = header && getComputedStyle(header).backgroundColor;
    return { bg, ok: !!bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)' };
  });
}

module.exports = (S) => {
  describe('file:// (opened from disk)', () => {
    it('click from the home page to a policy, the compare page and a route page, with CSS', { timeout: 60000 }, async () => {
      const context = await S.browser.newContext(S.contextOptions);
      const page = await context.newPage();
      const w = watch(page);
      try {
        const home = pathToFileURL(path.join(S.dir, 'index.html')).href;
        await page.goto(home);
        assert.ok((await cssApplied(page)).ok, 'CSS applies on the home page from disk');

        await Promise.all([page.waitForURL(/\/policies\/[^/]+\.html$/), page.locator('.policy-card-title a').first().click()]);
        assert.match(page.url(), /^file:\/\//);
        const css = await cssApplied(page);
        assert.ok(css.ok, `CSS applies on a policy page from disk (header background ${css.bg})`);
        assert.ok((await page.locator('[data-clause]').count()) > 10, 'the policy shows its clauses');

        await Promise.all([page.waitForURL(/\/compare\/index\.html$/), page.locator('.site-nav a', { hasText: 'Compare' }).click()]);
        assert.ok((await cssApplied(page)).ok, 'CSS applies on the compare page from disk');
        assert.ok(await page.locator('#pkb-compare-controls').isVisible(), 'compare.js runs from disk');
        assert.ok(await page.locator('table.matrix').isVisible());

        await Promise.all([page.waitForURL(/\/routes\/index\.html$/), page.locator('.site-nav a', { hasText: 'Who do I tell?' }).click()]);
        await Promise.all([page.waitForURL(/\/routes\/[^/]+\.html$/), page.locator('.routes-table th[scope="row"] a').first().click()]);
        assert.doesNotMatch(page.url(), /index\.html$/);
        assert.ok((await cssApplied(page)).ok, 'CSS applies on a route page from disk');
        assert.ok((await page.locator('figure.route svg').count()) > 0, 'the route page shows its flowcharts');
        assert.deepEqual(await w.take(), [], 'no errors from disk');
      } finally {
        await context.close();
      }
    });

    it('search works from disk (search-index.js loads through script tags)', { timeout: 60000 }, async () => {
      const context = await S.browser.newContext(S.contextOptions);
      const page = await context.newPage();
      const w = watch(page);
      try {
        const search = pathToFileURL(path.join(S.dir, 'search.html')).href;
        await page.goto(`${search}?q=${encodeURIComponent(QUERY)}`);
        const links = page.locator('ol.results-page a.result-link');
        await links.first().waitFor({ timeout: 15000 });
        const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
        assert.ok(hrefs.slice(0, 5).some((h) => h.endsWith('policies/holy-cross.html#6.11')), `top results from disk: ${hrefs.slice(0, 5).join(', ')}`);
        assert.ok(hrefs.every((h) => h.startsWith('file://')), 'result links point into the folder on disk');
        // Typing a new question updates the results and the address without errors.
        await page.locator('#pkb-search-q').fill('password');
        await page.waitForFunction(() => /password/.test(location.search));
        await links.first().waitFor();
        await Promise.all([page.waitForURL(/\.html#.+$/), links.first().click()]);
        assert.ok((await cssApplied(page)).ok);
        assert.deepEqual(await w.take(), [], 'no errors from disk');
      } finally {
        await context.close();
      }
    });
  });

  describe('without JavaScript', () => {
    it('the search page explains and links to every policy; policies show every clause', { timeout: 60000 }, async () => {
      const context = await S.browser.newContext({ ...S.contextOptions, javaScriptEnabled: false });
      const page = await context.newPage();
      try {
        await open(page, S.server, { path: 'search.html' });
        const nojs = page.locator('.search-nojs');
        assert.ok(await nojs.isVisible(), 'the no-JavaScript message shows');
        assert.match(await nojs.textContent(), /Search needs JavaScript/);
        assert.ok(await page.locator('form.search-form').isHidden(), 'the search form (which needs JavaScript) is hidden');
        const hrefs = await nojs.locator('a').evaluateAll((as) => as.map((a) => a.href));
        const want = S.policies.map((slug) => S.server.url(`policies/${slug}.html`)).sort();
        assert.deepEqual(hrefs.slice().sort(), want, 'links to every policy');

        // Compare page without its script: the full table, no controls.
        await open(page, S.server, { path: 'compare/index.html' });
        assert.ok(await page.locator('#pkb-compare-controls').isHidden());
        const cells = await page.$$eval('table.matrix td', (tds) => tds.filter((td) => !td.checkVisibility()).length);
        assert.equal(cells, 0, 'every matrix cell shows');

        const counts = JSON.parse(fs.readFileSync(path.join(S.dir, 'data', 'policies.json'), 'utf8'));
        for (const policy of counts) {
          await open(page, S.server, { path: `policies/${policy.slug}.html` });
          const clauses = await page.$$eval('[data-clause]', (els) => ({
            total: els.length,
            hidden: els.filter((el) => !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })).map((el) => el.id),
          }));
          assert.equal(clauses.total, policy.clause_count, `${policy.slug}: every clause is on the page`);
          assert.deepEqual(clauses.hidden, [], `${policy.slug}: every clause is shown`);
        }
      } finally {
        await context.close();
      }
    });
  });
};
