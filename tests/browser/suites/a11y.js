'use strict';
/* axe-core (WCAG 2.0/2.1 A and AA rules) on every page type, and checks that colour is never the
 * only carrier of meaning. axe is injected with page.addScriptTag({path}), which the strict CSP
 * would block, so these audits use the `audit` context (bypassCSP); every CSP check is in
 * suites/csp.js on a context that does not bypass it. */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { open, axe, formatViolations, QUERY } = require('../lib/harness');

module.exports = (S) => {
  describe('axe-core: no WCAG 2.1 A/AA violations', () => {
    let page;
    before(async () => {
      page = await S.audit.newPage();
    });
    after(async () => page && page.close());

    for (const type of S.types) {
      it(`axe: ${type.name} (${type.path})`, { timeout: 60000 }, async () => {
        await open(page, S.server, type);
        const violations = await axe(page);
        assert.equal(violations.length, 0, `axe violations on ${type.path}:\n${formatViolations(type.name, violations)}`);
      });
    }

    it('home page with the header search results open', { timeout: 60000 }, async () => {
      const page = await S.audit.newPage();
      try {
        await open(page, S.server, { path: 'index.html' });
        await page.locator('#pkb-q').fill(QUERY);
        await page.locator('.instant-results:not([hidden]) a.result-link').first().waitFor({ timeout: 15000 });
        const violations = await axe(page);
        assert.equal(violations.length, 0, `axe violations with instant results open:\n${formatViolations('instant-results', violations)}`);
      } finally {
        await page.close();
      }
    });

    it('compare page with a school hidden and a stance filter set', { timeout: 60000 }, async () => {
      const page = await S.audit.newPage();
      try {
        await open(page, S.server, { path: 'compare/index.html' });
        await page.locator('#pkb-compare-controls input[name="school"]').first().uncheck();
        await page.locator('#pkb-compare-stance').selectOption('prohibited');
        const violations = await axe(page);
        assert.equal(violations.length, 0, `axe violations on filtered compare page:\n${formatViolations('compare-filtered', violations)}`);
      } finally {
        await page.close();
      }
    });
  });

  describe('colour is never the only carrier of meaning', () => {
    it('every stance badge on compare/index.html has words', async () => {
      const page = await S.strict.newPage();
      try {
        await open(page, S.server, { path: 'compare/index.html' });
        const badges = await page.$$eval('.stance', (els) =>
          els.map((el) => ({ text: el.textContent.trim(), cls: el.className, shown: el.checkVisibility() })),
        );
        assert.ok(badges.length > 50, `expected the matrix to have stance badges, found ${badges.length}`);
        const empty = badges.filter((b) => !b.text);
        assert.deepEqual(empty, [], 'stance badges without text');
        const shapeless = await page.$$eval('.stance', (els) => els.filter((el) => !el.querySelector('.stance-shape')).length);
        assert.equal(shapeless, 0, 'every stance badge has a shape as well as a colour');
      } finally {
        await page.close();
      }
    });

    it('every review badge on reviews/index.html and the home page has words', async () => {
      const page = await S.strict.newPage();
      try {
        for (const path of ['reviews/index.html', 'index.html']) {
          await open(page, S.server, { path });
          const badges = await page.$$eval('.review-badge', (els) =>
            els.map((el) => ({ label: (el.querySelector('.review-label') || el).textContent.trim(), text: el.textContent.trim() })),
          );
          assert.ok(badges.length >= S.policies.length, `${path}: expected a review badge per policy, found ${badges.length}`);
          assert.deepEqual(badges.filter((b) => !b.label || !b.text), [], `${path}: review badges without text`);
        }
      } finally {
        await page.close();
      }
    });

    it('route chart nodes name their kind in words (Step 1, Step 2 · Decision, Step 3 · Outside body)', { timeout: 60000 }, async () => {
      const fs = require('node:fs');
      const path = require('node:path');
      const concerns = fs
        .readdirSync(path.join(S.dir, 'routes'))
        .filter((f) => f.endsWith('.html') && f !== 'index.html')
        .map((f) => `routes/${f}`);
      const pages = concerns.concat(S.policies.map((slug) => `policies/${slug}.html`));
      const page = await S.strict.newPage();
      const problems = [];
      const seen = { decision: 0, external: 0 };
      try {
        for (const rel of pages) {
          await open(page, S.server, { path: rel });
          const routes = await page.$$eval('figure.route', (figs) =>
            figs.map((fig) => {
              const texts = Array.from(fig.querySelectorAll('svg text')).map((t) => t.textContent);
              const count = (re) => texts.filter((t) => re.test(t)).length;
              return {
                id: fig.id,
                hasSvg: !!fig.querySelector('svg'),
                steps: {
                  decision: fig.querySelectorAll('li.route-step-decision').length,
                  external: fig.querySelectorAll('li.route-step-external').length,
                  step: fig.querySelectorAll('li.route-step-step').length,
                },
                words: { decision: count(/^Step \d+ · Decision$/), external: count(/^Step \d+ · Outside body$/), step: count(/^Step \d+$/) },
              };
            }),
          );
          for (const r of routes) {
            if (!r.hasSvg) continue;
            seen.decision += r.steps.decision;
            seen.external += r.steps.external;
            for (const kind of ['decision', 'external', 'step']) {
              if (r.words[kind] !== r.steps[kind]) {
                problems.push(`${rel} #${r.id}: ${r.steps[kind]} ${kind} step(s) in the list but ${r.words[kind]} chart node(s) labelled with the word`);
              }
            }
          }
        }
      } finally {
        await page.close();
      }
      assert.ok(seen.decision > 0 && seen.external > 0, 'expected routes with decisions and outside bodies in the demo content');
      assert.deepEqual(problems, []);
    });
  });
};
