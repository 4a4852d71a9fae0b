'use strict';
/* Browser tests of the generated site, in headless Debian chromium (playwright-core) with axe-core.
 *
 * One built site, one static server (publishing it under /policies-site/ with
 * `Content-Security-Policy: default-src 'self'`) and one browser are shared by every suite:
 *
 *   suites/a11y.js      axe-core WCAG 2.1 A/AA on every page type; colour never the only carrier
 *   suites/csp.js       under the strict CSP: no console errors or CSP reports; search, compare
 *                       filters and review badges work
 *   suites/keyboard.js  skip link, Tab reaches everything with a visible focus, search arrow keys
 *   suites/layout.js    at 375px no element of any page is wider than the screen; screenshots at
 *                       375 and 1280
 *   suites/print.js     PDF page counts and no navigation chrome in print
 *   suites/phone.js     phone-first reading: routes fit at 375px, policy text near the top,
 *                       qualified clause labels, closed disclosures print open
 *   suites/offline.js   the site opened from disk (file://) and with JavaScript turned off
 *   suites/links.js     crawl under the sub-path: no 404s, every #fragment exists
 *   suites/search.js    answer cards, first results, hostile input, query time, layout shift
 *   suites/lighthouse.js Lighthouse scores of the heaviest page types, phone and desktop
 *                       (lighthouse.js, run on its own, audits every page type)
 *
 * Run: `cargo test --test it browser` (builds the site and sets POLICYKB_SITE), or
 * `cd tests/browser && npm test` (builds the site with `cargo run` when POLICYKB_SITE is unset).
 * Screenshots and PDFs go to test-artifacts/ at the repository root. */
const { before, after } = require('node:test');
const harness = require('./lib/harness');

const dir = harness.siteDir();
const { policies, types } = harness.pageTypes(dir);

/** Filled in by `before`; the suites read it inside their tests. */
const S = { dir, policies, types };

before(async () => Object.assign(S, await harness.setup(dir)), { timeout: 60000 });
after(async () => {
  if (S.teardown) await S.teardown();
});

require('./suites/a11y')(S);
require('./suites/csp')(S);
require('./suites/keyboard')(S);
require('./suites/layout')(S);
require('./suites/print')(S);
require('./suites/phone')(S);
require('./suites/offline')(S);
require('./suites/links')(S);
require('./suites/search')(S);
require('./suites/lighthouse')(S);
