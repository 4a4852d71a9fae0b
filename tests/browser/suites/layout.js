'use strict';
/* Phone width: at 375px no element of any page, tables and charts included, is wider than the
 * screen. Full-page screenshots of every page type at 375 and 1280 wide go to
 * test-artifacts/screenshots/. */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { open, ensureDir, SCREENSHOTS } = require('../lib/harness');

const PHONE = 375;

/** Elements whose box reaches past the right edge of a `width`-wide viewport, wherever they are:
 * a table or chart that scrolls inside its own box counts too, since on a phone that means
 * reading it through a keyhole. The outermost offenders only. */
function overflowing(width) {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 0.5 || r.width === 0 || r.height === 0) continue;
    if (out.some((o) => o.el.contains(el))) continue;
    const cls = el.getAttribute('class');
    out.push({ el, desc: `${el.tagName.toLowerCase()}${cls ? '.' + cls.trim().split(/\s+/).join('.') : ''} right=${Math.round(r.right)}px width=${Math.round(r.width)}px` });
  }
  return out.map((o) => o.desc);
}

/** Every page of the built site (what the link crawl reaches), as a page type to open. */
function everyPage(dir, types) {
  const pages = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.html') && child !== '404.html') pages.push({ name: child, path: child });
    }
  };
  walk('');
  // The page types' own addresses: the search page with a query, the 404 page as served.
  const search = types.find((t) => t.name === 'search');
  const notFound = types.find((t) => t.name === '404');
  return pages.filter((p) => p.path !== 'search.html').concat([search, notFound]).sort((a, b) => a.path.localeCompare(b.path));
}

module.exports = (S) => {
  describe(`phone width (${PHONE}px): no element wider than the screen, on every page`, () => {
    let context;
    let page;
    before(async () => {
      ensureDir(SCREENSHOTS);
      context = await S.browser.newContext({ ...S.contextOptions, viewport: { width: PHONE, height: 740 } });
      page = await context.newPage();
    });
    after(async () => context && context.close());

    for (const type of S.types.filter((t) => t.shot)) {
      it(`${PHONE}px screenshot: ${type.name} (${type.path})`, { timeout: 60000 }, async () => {
        await open(page, S.server, type);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${type.name}-${PHONE}.png`), fullPage: true });
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= PHONE, `${type.path}: the page is ${scrollWidth}px wide at ${PHONE}px`);
      });
    }

    it(`${PHONE}px: every page of the site, charts and tables included`, { timeout: 300000 }, async () => {
      const pages = everyPage(S.dir, S.types);
      assert.ok(pages.length > 50, `only ${pages.length} pages found`);
      const wide = [];
      for (const type of pages) {
        await open(page, S.server, type);
        const culprits = await page.evaluate(overflowing, PHONE);
        if (culprits.length) wide.push(`${type.path}:\n    ${culprits.slice(0, 6).join('\n    ')}`);
      }
      assert.deepEqual(wide, [], `elements wider than the ${PHONE}px screen:\n  ${wide.join('\n  ')}`);
    });
  });

  describe('screenshots at 1280px', () => {
    it('every page type', { timeout: 120000 }, async () => {
      ensureDir(SCREENSHOTS);
      const context = await S.browser.newContext({ ...S.contextOptions, viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        for (const type of S.types.filter((t) => t.shot)) {
          await open(page, S.server, type);
          await page.screenshot({ path: path.join(SCREENSHOTS, `${type.name}-1280.png`), fullPage: true });
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scrollWidth <= 1280, `${type.path} is ${scrollWidth}px wide at 1280px`);
        }
      } finally {
        await context.close();
      }
    });
  });
};
