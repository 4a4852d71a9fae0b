'use strict';
/* Keyboard use: the skip link, Tab order covering every interactive element with a visible focus,
 * and the search results' arrow keys. Runs in the strict-CSP context. */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { open, QUERY } = require('../lib/harness');

/** Tab stops allowed on a page before the walk gives up. */
const TAB_CAP = 900;

/** Describes the focused element: its index among the focusables, and whether focus shows. */
function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { none: true };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {
    i: el.hasAttribute('data-kbd-i') ? Number(el.getAttribute('data-kbd-i')) : -1,
    desc: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} “${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}”`,
    visibleFocus: outline || shadow,
    focusStyle: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
    scroller: /(auto|scroll)/.test(style.overflowX + style.overflowY) && (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight),
  };
}

/** Marks every element that should be a Tab stop with data-kbd-i (document order). */
function markFocusables() {
  const selector = [
    'a[href]', 'area[href]', 'button', 'input:not([type="hidden"])', 'select', 'textarea', 'summary',
    'iframe', 'audio[controls]', 'video[controls]', '[contenteditable]:not([contenteditable="false"])', '[tabindex]',
  ].join(',');
  const positive = [];
  const list = Array.from(document.querySelectorAll(selector)).filter((el) => {
    if (el.tabIndex > 0) positive.push(el.outerHTML.slice(0, 80));
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) return false;
    if (el.tagName === 'SUMMARY' && (el.parentElement.tagName !== 'DETAILS' || el.parentElement.querySelector(':scope > summary') !== el)) return false;
    // Not rendered: display:none, visibility:hidden, inside a closed <details> or [hidden].
    return el.checkVisibility({ visibilityProperty: true });
  });
  list.forEach((el, i) => el.setAttribute('data-kbd-i', String(i)));
  return {
    count: list.length,
    positive,
    descs: list.map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} “${(el.textContent || '').trim().slice(0, 40)}” ${el.getAttribute('href') || ''}`),
  };
}

module.exports = (S) => {
  describe('keyboard: skip link first, visible, and moves focus to the main content', () => {
    let page;
    before(async () => {
      page = await S.strict.newPage();
    });
    after(async () => page && page.close());

    for (const type of S.types) {
      it(`skip link: ${type.name} (${type.path})`, { timeout: 20000 }, async () => {
        await open(page, S.server, type);
        const url = page.url();
        await page.keyboard.press('Tab');
        const first = await page.evaluate(focusState);
        const isSkip = await page.evaluate(() => document.activeElement.matches('a.skip-link'));
        assert.ok(isSkip, `the first Tab stop is the skip link, not ${first.desc}`);
        assert.ok(first.onScreen, 'the focused skip link is on screen');
        assert.ok(first.visibleFocus, `the focused skip link shows focus (${first.focusStyle})`);
        assert.equal(await page.locator('a.skip-link').textContent(), 'Skip to main content');
        await page.keyboard.press('Enter');
        await page
          .waitForFunction(() => document.activeElement && document.activeElement.id === 'pkb-main', null, { timeout: 2000 })
          .catch(() => {});
        await page.waitForLoadState('load');
        const landed = page.url();
        assert.equal(landed.split('#')[0], url.split('#')[0], `the skip link must stay on the page, but it went to ${landed}`);
        assert.equal(await page.evaluate(() => document.activeElement.id), 'pkb-main', 'focus is on #pkb-main');
      });
    }
  });

  describe('keyboard: Tab reaches every interactive element, with a visible focus', () => {
    for (const rel of ['index.html', 'policies/holy-cross.html']) {
      it(`Tab order: ${rel}`, { timeout: 90000 }, async (t) => {
        const page = await S.strict.newPage();
        try {
          await open(page, S.server, { path: rel });
          const marked = await page.evaluate(markFocusables);
          assert.deepEqual(marked.positive, [], 'no positive tabindex');
          assert.ok(marked.count > 5, `expected interactive elements on ${rel}`);
          const expected = Math.min(marked.count, TAB_CAP);
          const visited = new Set();
          const noFocusRing = [];
          const extra = [];
          let stops = 0;
          let previous = null;
          // Walk until focus leaves the page (wraps to the browser) or comes back round.
          while (stops < TAB_CAP + 20) {
            await page.keyboard.press('Tab');
            const s = await page.evaluate(focusState);
            if (s.none) break;
            stops++;
            const key = s.i >= 0 ? s.i : s.desc;
            if (key === previous) break;
            if (s.i >= 0 && visited.has(s.i)) break;
            previous = key;
            if (!s.visibleFocus) noFocusRing.push(`${s.desc} (${s.focusStyle})`);
            if (s.i >= 0) visited.add(s.i);
            // Chromium also stops on scrollable boxes with nothing focusable inside them.
            else if (!s.scroller) extra.push(s.desc);
            if (visited.size >= expected && marked.count > TAB_CAP) break;
          }
          t.diagnostic(`${rel}: ${marked.count} interactive elements, ${visited.size} reached in ${stops} Tab presses`);
          const missing = [];
          for (let i = 0; i < expected; i++) if (!visited.has(i)) missing.push(marked.descs[i]);
          assert.deepEqual(missing.slice(0, 20), [], `${missing.length} of ${expected} interactive elements never got focus by Tab`);
          assert.deepEqual(extra, [], 'unexpected Tab stops');
          assert.deepEqual(noFocusRing.slice(0, 20), [], `${noFocusRing.length} Tab stops without a visible focus indicator`);
        } finally {
          await page.close();
        }
      });
    }
  });

  describe('keyboard: search results by arrow keys', () => {
    const cases = [
      { name: 'search page', path: 'search.html', box: '#pkb-search-q', list: 'ol.results-page' },
      { name: 'header box', path: 'index.html', box: '#pkb-q', list: 'form.site-search ol.results' },
    ];
    for (const c of cases) {
      it(`${c.name}: Down into the results, Down/Up between them, Escape back to the box`, { timeout: 30000 }, async () => {
        const page = await S.strict.newPage();
        try {
          await open(page, S.server, { path: c.path });
          await page.locator(c.box).focus();
          await page.keyboard.type(QUERY);
          const links = page.locator(`${c.list} a.result-link`);
          await links.nth(2).waitFor({ timeout: 15000 });
          const focused = () =>
            page.evaluate(
              ({ list, box }) => {
                const el = document.activeElement;
                if (el.matches(box)) return 'box';
                const all = Array.from(document.querySelectorAll(`${list} a.result-link`));
                return all.indexOf(el);
              },
              { list: c.list, box: c.box },
            );
          await page.keyboard.press('ArrowDown');
          assert.equal(await focused(), 0, 'Down from the box focuses the first result');
          const ring = await page.evaluate(focusState);
          assert.ok(ring.visibleFocus, `the focused result shows focus (${ring.focusStyle})`);
          await page.keyboard.press('ArrowDown');
          assert.equal(await focused(), 1, 'Down moves to the second result');
          await page.keyboard.press('ArrowDown');
          assert.equal(await focused(), 2, 'Down moves to the third result');
          await page.keyboard.press('ArrowUp');
          assert.equal(await focused(), 1, 'Up moves back to the second result');
          await page.keyboard.press('Escape');
          assert.equal(await focused(), 'box', 'Escape returns to the box');
          if (c.name === 'header box') {
            assert.ok(await page.locator('form.site-search .instant-results').isHidden(), 'Escape closes the results panel');
          }
        } finally {
          await page.close();
        }
      });
    }
  });
};
