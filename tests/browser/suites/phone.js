'use strict';
/* Phone-first reading at 375×800: every reporting route reads top to bottom without sideways
 * scrolling (no chart wider than its box), the policy text starts within the first two screens,
 * clause labels that stand outside their section name the section, a link into a closed
 * disclosure opens it, and in print every closed disclosure shows its content. */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { open } = require('../lib/harness');

const PHONE = { width: 375, height: 800 };
/** The policy text must start within this many phone screens. */
const SCREENS = 2;

/** Route figures whose content is wider than the figure, and shown charts wider than their box. */
function tooWide() {
  const out = [];
  for (const figure of document.querySelectorAll('figure.route')) {
    if (figure.scrollWidth > figure.clientWidth + 1) {
      out.push(`#${figure.id}: content ${figure.scrollWidth}px wide in a ${figure.clientWidth}px figure`);
    }
    for (const svg of figure.querySelectorAll('svg.flowchart')) {
      const box = svg.closest('.route-chart');
      const width = svg.getBoundingClientRect().width;
      if (svg.checkVisibility() && width > box.clientWidth + 1) {
        out.push(`#${figure.id}: a ${Math.round(width)}px chart in a ${box.clientWidth}px box`);
      }
    }
  }
  return out;
}

module.exports = (S) => {
  const concerns = fs
    .readdirSync(path.join(S.dir, 'routes'))
    .filter((f) => f.endsWith('.html') && f !== 'index.html')
    .sort()
    .map((f) => `routes/${f}`);
  const policies = S.policies.map((slug) => `policies/${slug}.html`);

  describe('phone-first reading (375×800)', () => {
    let context;
    let page;
    before(async () => {
      context = await S.browser.newContext({ ...S.contextOptions, viewport: PHONE });
      page = await context.newPage();
    });
    after(async () => context && context.close());

    it('no route chart is wider than its box, on every concern page and policy page', { timeout: 120000 }, async (t) => {
      const problems = [];
      let figures = 0;
      for (const rel of concerns.concat(policies)) {
        await open(page, S.server, { path: rel });
        // In a policy's text the routes sit in closed disclosures: open them to measure.
        await page.$$eval('details.route-place', (els) => els.forEach((d) => { d.open = true; }));
        figures += await page.$$eval('figure.route', (els) => els.length);
        for (const p of await page.evaluate(tooWide)) problems.push(`${rel} ${p}`);
        // On a phone the route reads top to bottom as blocks: the drawn chart is not shown.
        const shownCharts = await page.$$eval('svg.flowchart', (els) => els.filter((el) => el.checkVisibility()).length);
        if (shownCharts) problems.push(`${rel}: ${shownCharts} drawn chart(s) shown in a phone-width box`);
      }
      t.diagnostic(`${figures} route figures on ${concerns.length} concern pages and ${policies.length} policy pages`);
      assert.ok(figures >= 40, `only ${figures} route figures were measured`);
      assert.deepEqual(problems, [], `routes that do not fit at ${PHONE.width}px:\n  ${problems.join('\n  ')}`);
    });

    it('every decision is followed by its branches, each leading to a step of the same route', { timeout: 60000 }, async () => {
      await open(page, S.server, { path: 'routes/indecent-images.html' });
      const decisions = await page.$$eval('.route-step-decision', (els) =>
        els.map((el) => ({
          id: el.id,
          branches: Array.from(el.querySelectorAll('.route-branch')).map((b) => ({
            text: b.textContent.trim(),
            shown: b.checkVisibility(),
            target: b.querySelector('a') ? b.querySelector('a').hash : '(no link)',
            sameRoute: (() => {
              const a = b.querySelector('a');
              const step = a && document.getElementById(decodeURIComponent(a.hash.slice(1)));
              return !!step && step.closest('figure') === el.closest('figure');
            })(),
          })),
        })),
      );
      assert.ok(decisions.length >= 1, 'the indecent-images page has a decision');
      for (const d of decisions) {
        assert.ok(d.branches.length >= 2, `${d.id}: ${d.branches.length} branch block(s)`);
        for (const b of d.branches) {
          assert.ok(b.shown, `${d.id}: the branch "${b.text}" is not shown`);
          assert.match(b.text, /: go to step \d+$/, `${d.id}: the branch reads "${b.text}"`);
          assert.ok(b.sameRoute, `${d.id}: "${b.text}" links to ${b.target}, not a step of its own route`);
        }
      }
    });

    it(`the policy text starts within the first ${SCREENS} screens of every policy page`, { timeout: 60000 }, async (t) => {
      const late = [];
      for (const rel of policies) {
        await open(page, S.server, { path: rel });
        const top = await page.$eval('.policy-text [data-clause]', (el) => Math.round(el.getBoundingClientRect().top + window.scrollY));
        t.diagnostic(`${rel}: first clause at ${top}px`);
        if (top > SCREENS * PHONE.height) late.push(`${rel}: the first clause is ${top}px down`);
      }
      assert.deepEqual(late, [], late.join('\n'));
    });

    it('clause labels outside their section name the section', { timeout: 60000 }, async () => {
      const problems = [];
      for (const rel of concerns.concat(['policies/hunslet-carr.html', 'compare/contact-parents.html'])) {
        await open(page, S.server, { path: rel });
        const links = await page.$$eval('.route-step-cites a, .topic-basis a, .topic-clause-label, .glance-clause', (els) =>
          els.map((a) => ({ text: a.textContent.trim(), href: a.href })),
        );
        // Within one policy, one label names one clause.
        const byLabel = new Map();
        for (const { text, href } of links) {
          if (/^¶/.test(text)) problems.push(`${rel}: a bare label "${text}" (${href})`);
          const key = `${href.split('#')[0]} ${text}`;
          const seen = byLabel.get(key);
          if (seen && seen !== href) problems.push(`${rel}: "${text}" names both ${seen} and ${href}`);
          byLabel.set(key, href);
        }
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  });

  describe('closed disclosures open when a link leads into them', () => {
    it('a reporting route from the contents, a brochure heading by its address', { timeout: 60000 }, async () => {
      const page = await S.strict.newPage();
      try {
        await open(page, S.server, { path: 'policies/holy-cross.html' });
        await page.click('.toc-routes a[href="#route-indecent-images"]');
        await page.waitForFunction(() => document.getElementById('route-indecent-images').closest('details').open, null, { timeout: 5000 });
        await open(page, S.server, { path: 'policies/hunslet-carr.html#strengths-of-our-school' });
        const opened = await page.$eval('#strengths-of-our-school', (el) => el.closest('details').open && el.checkVisibility());
        assert.ok(opened, 'the brochure disclosure did not open for a link to its heading');
      } finally {
        await page.close();
      }
    });
  });

  describe('print: closed disclosures print open', () => {
    for (const rel of ['policies/holy-cross.html', 'policies/hunslet-carr.html']) {
      it(rel, { timeout: 60000 }, async () => {
        const page = await S.strict.newPage();
        try {
          await open(page, S.server, { path: rel });
          const closed = await page.$$eval('.policy-text details:not([open]):not(.related)', (els) => els.length);
          assert.ok(closed > 0, `${rel} has no closed disclosure to check`);
          await page.emulateMedia({ media: 'print' });
          const hidden = await page.$$eval('.policy-text details:not([open]):not(.related) > :not(summary)', (els) =>
            els.filter((el) => !el.checkVisibility()).map((el) => `${el.tagName.toLowerCase()} in ${el.parentElement.className}`),
          );
          assert.deepEqual(hidden, [], `content of closed disclosures that does not print:\n  ${hidden.join('\n  ')}`);
          await page.emulateMedia({ media: 'screen' });
        } finally {
          await page.close();
        }
      });
    }
  });
};
