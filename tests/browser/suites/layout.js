'use strict';
/* Phone width: at 375px no page scrolls sideways as a whole (wide tables and charts scroll inside
 * their own box). Full-page screenshots of every page type at 375 and 1280 wide go to
 * test-artifacts/screenshots/. */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { open, ensureDir, SCREENSHOTS } = require('../lib/harness');

const PHONE = 375;

/** Elements that stick out past the right edge of the viewport, and are not inside a box that
 * scrolls or clips them: the likely cause of page-level sideways scrolling. */
function overflowing(width) {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 0.5 || r.width === 0) continue;
    // A scrolling or clipping ancestor contains the element only if the element's containing
    // block is inside it: an absolutely positioned element escapes a box that is not positioned.
    let clipped = false;
    let mode = getComputedStyle(el).position;
    if (mode === 'fixed') continue;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      const positioned = s.position !== 'static' || s.transform !== 'none' || s.contain !== 'none';
      if (mode !== 'absolute' || positioned) {
        if (s.overflowX !== 'visible') {
          clipped = true;
          break;
        }
        mode = s.position === 'absolute' ? 'absolute' : s.position === 'fixed' ? 'fixed' : 'flow';
        if (mode === 'fixed') break;
      }
    }
    if (clipped) continue;
    // Report the outermost offender only.
    if (out.some((o) => o.el.contains(el))) continue;
    out.push({ el, desc: `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} right=${Math.round(r.right)}px width=${Math.round(r.width)}px` });
  }
  return out.slice(0, 8).map((o) => o.desc);
}

module.exports = (S) => {
  describe(`phone width (${PHONE}px): no sideways scrolling of the page`, () => {
    let context;
    let page;
    before(async () => {
      ensureDir(SCREENSHOTS);
      context = await S.browser.newContext({ ...S.contextOptions, viewport: { width: PHONE, height: 740 } });
      page = await context.newPage();
    });
    after(async () => context && context.close());

    for (const type of S.types) {
      it(`${PHONE}px: ${type.name} (${type.path})`, { timeout: 60000 }, async () => {
        await open(page, S.server, type);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (type.shot) {
          await page.screenshot({ path: path.join(SCREENSHOTS, `${type.name}-${PHONE}.png`), fullPage: true });
        }
        const culprits = scrollWidth > PHONE ? await page.evaluate(overflowing, PHONE) : [];
        assert.ok(scrollWidth <= PHONE, `${type.path}: the page is ${scrollWidth}px wide at ${PHONE}px; sticking out:\n  ${culprits.join('\n  ')}`);
      });
    }
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
