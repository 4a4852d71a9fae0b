'use strict';
/* Under `Content-Security-Policy: default-src 'self'` (the `strict` context, no bypass): no console
 * errors, no uncaught exceptions and no CSP violations on any page, and the scripted features
 * still work — header search, the compare filters and the review badges. */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { open, watch, recordCspViolations, CSP, QUERY, TODAY } = require('../lib/harness');

/** How far down the results Holy Cross 6.11 may be for the question. */
const FIRST = 5;

module.exports = (S) => {
  describe('strict CSP: no console errors or CSP violations', () => {
    let page;
    let w;
    before(async () => {
      page = await S.strict.newPage();
      w = watch(page);
    });
    after(async () => page && page.close());

    for (const type of S.types) {
      it(`CSP: ${type.name} (${type.path})`, { timeout: 30000 }, async () => {
        await w.take();
        const response = await open(page, S.server, type);
        assert.equal(response.headers()['content-security-policy'], CSP, 'the server sends the CSP');
        // Search loads its engine and index on first use: that must not break the CSP either.
        await page.locator('input[name="q"]').focus(); // the header box, or the search page's own
        await page
          .waitForFunction(() => globalThis.PolicyKB && globalThis.PolicyKB.engine, null, { timeout: 15000 })
          .catch(() => {});
        const problems = await w.take();
        assert.deepEqual(problems, [], `problems on ${type.path}`);
        assert.ok(await page.evaluate(() => !!(globalThis.PolicyKB && globalThis.PolicyKB.engine)), 'the search engine loaded');
      });
    }
  });

  describe('strict CSP: scripted features work', () => {
    it('header search finds Holy Cross 6.11 for "can I friend a parent" and the link lands on it', { timeout: 30000 }, async () => {
      const page = await S.strict.newPage();
      const w = watch(page);
      try {
        await open(page, S.server, { path: 'index.html' });
        await page.locator('#pkb-q').click();
        await page.keyboard.type(QUERY);
        const links = page.locator('form.site-search .instant-results:not([hidden]) ol.results a.result-link');
        await links.first().waitFor({ timeout: 15000 });
        const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
        const top = hrefs.slice(0, FIRST);
        const target = top.findIndex((h) => h.endsWith('policies/holy-cross.html#6.11'));
        assert.ok(target >= 0, `Holy Cross 6.11 is not among the first results: ${top.join(', ')}`);
        assert.ok(hrefs[target].startsWith(S.server.base), `result link stays under the sub-path: ${hrefs[target]}`);
        const status = await page.locator('form.site-search [role="status"]').textContent();
        assert.match(status, /\d+ clauses? from \d+ schools?/, 'the live region announces the results');
        await Promise.all([page.waitForURL(/holy-cross\.html#6\.11$/), links.nth(target).click()]);
        assert.equal(await page.evaluate(() => location.hash), '#6.11');
        const clause = page.locator('[id="6.11"]');
        assert.equal(await clause.count(), 1, 'the element with id "6.11" exists');
        assert.ok(await clause.isVisible(), 'clause 6.11 is visible');
        const inView = await clause.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top < innerHeight && r.bottom > 0;
        });
        assert.ok(inView, 'clause 6.11 is scrolled into view');
        assert.deepEqual(await w.take(), []);
      } finally {
        await page.close();
      }
    });

    it('search page shows results for a query in the address', { timeout: 30000 }, async () => {
      const page = await S.strict.newPage();
      const w = watch(page);
      try {
        const type = S.types.find((t) => t.name === 'search');
        await open(page, S.server, type);
        assert.equal(await page.locator('#pkb-search-q').inputValue(), QUERY);
        const hrefs = await page.locator('ol.results-page a.result-link').evaluateAll((as) => as.map((a) => a.href));
        assert.ok(hrefs.slice(0, FIRST).some((h) => h.endsWith('policies/holy-cross.html#6.11')), `top results: ${hrefs.slice(0, FIRST).join(', ')}`);
        assert.ok(await page.locator('.search-nojs').isHidden(), 'the no-JavaScript message is hidden');
        // The school filter narrows the results to one school.
        await page.locator('#pkb-search-school').selectOption('holy-cross');
        await page.waitForFunction(() => {
          const items = document.querySelectorAll('ol.results-page li.result');
          return items.length > 0 && Array.from(items).every((li) => li.dataset.school === 'holy-cross');
        });
        assert.match(page.url(), /school=holy-cross/);
        assert.deepEqual(await w.take(), []);
      } finally {
        await page.close();
      }
    });

    it('compare filters hide a school column, filter by stance and reorder topics', { timeout: 30000 }, async () => {
      const page = await S.strict.newPage();
      const w = watch(page);
      try {
        await open(page, S.server, { path: 'compare/index.html' });
        const controls = page.locator('#pkb-compare-controls');
        assert.ok(await controls.isVisible(), 'compare.js shows the controls');
        const boxes = controls.locator('input[name="school"]');
        assert.equal(await boxes.count(), S.policies.length);
        const school = await boxes.nth(1).getAttribute('value');
        const column = page.locator(`table.matrix [data-school="${school}"]`);
        const cells = await column.count();
        assert.ok(cells > 1, 'the matrix has cells for the school');
        const visible = (loc) => loc.evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
        assert.equal(await visible(column), cells);
        await boxes.nth(1).uncheck();
        assert.equal(await visible(column), 0, `unchecking ${school} hides its column`);
        const others = page.locator(`table.matrix [data-school]:not([data-school="${school}"])`);
        assert.equal(await visible(others), await others.count(), 'other columns stay visible');
        await boxes.nth(1).check();
        assert.equal(await visible(column), cells, `checking ${school} again shows its column`);

        await page.locator('#pkb-compare-stance').selectOption('prohibited');
        const rows = await page.$$eval('table.matrix tbody tr', (trs) =>
          trs.map((tr) => ({
            shown: tr.checkVisibility(),
            prohibited: Array.from(tr.querySelectorAll('td')).some((td) => td.dataset.stance === 'prohibited'),
          })),
        );
        assert.ok(rows.some((r) => r.shown), 'some topics have a prohibited stance');
        assert.ok(rows.every((r) => r.shown === r.prohibited), 'exactly the topics with a prohibited stance are shown');
        const count = await controls.locator('[role="status"]').textContent();
        assert.match(count, new RegExp(`^${rows.filter((r) => r.shown).length} of ${rows.length} topics shown`));

        await page.locator('#pkb-compare-stance').selectOption('');
        await page.locator('#pkb-compare-sort').selectOption('title');
        const titles = await page.$$eval('table.matrix tbody tr', (trs) => trs.map((tr) => tr.dataset.title));
        assert.deepEqual(titles, titles.slice().sort((a, b) => a.localeCompare(b)), 'topics sorted by title');
        assert.deepEqual(await w.take(), []);
      } finally {
        await page.close();
      }
    });

    it('review badges are re-evaluated against the reader’s date', { timeout: 30000 }, async () => {
      // A reader a little over six months after the build. The clock belongs to the whole
      // context, so this test has its own (strict CSP too, no bypass).
      const context = await S.browser.newContext(S.contextOptions);
      await context.addInitScript(recordCspViolations);
      await context.clock.setFixedTime(new Date('2027-06-01T12:00:00Z'));
      const page = await context.newPage();
      const w = watch(page);
      try {
        for (const path of ['reviews/index.html', 'index.html', 'policies/holy-cross.html']) {
          await open(page, S.server, { path });
          const badges = await page.$$eval('.review-badge[data-due]', (els) =>
            els.map((el) => ({
              due: el.dataset.due,
              cls: el.className,
              label: el.querySelector('.review-label').textContent,
              detail: (el.querySelector('.review-detail') || {}).textContent,
              title: el.getAttribute('title'),
            })),
          );
          assert.ok(badges.length > 0, `${path} has dated review badges`);
          for (const b of badges) {
            assert.match(b.title || '', new RegExp(`built on ${TODAY}`), `${path}: badge due ${b.due} was re-checked`);
            const overdue = b.due < '2027-06-01';
            if (overdue) {
              assert.equal(b.label, 'Overdue', `${path}: due ${b.due}`);
              assert.match(b.cls, /\breview-overdue\b/);
              assert.match(b.detail || 'Overdue by', /^Overdue by \d+ (year|month|week|day)/);
            }
          }
          if (path === 'reviews/index.html') {
            const today = await page.locator('.review-today').textContent();
            assert.match(today, /^2027-06-01 \(today; the site was built on 2026-11-21\)/);
          }
          if (path === 'policies/holy-cross.html') {
            // Due 2024-03-31: 1157 days before 2027-06-01.
            assert.equal(badges[0].detail, 'Overdue by 3 years 2 months');
          }
        }
        assert.deepEqual(await w.take(), []);
      } finally {
        await context.close();
      }
    });
  });
};
