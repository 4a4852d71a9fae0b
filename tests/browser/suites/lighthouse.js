'use strict';
/* Lighthouse on a representative subset of page types, phone and desktop: accessibility, best
 * practices and SEO 100, performance at least 95. Every page type × both profiles takes minutes,
 * so that full run is the documented script: `node tests/browser/lighthouse.js`. */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { PAGES, audit, table } = require('../lighthouse');

/** The heaviest pages: the matrix, the search page with results, a long policy, and the home page. */
const SUBSET = {
  mobile: ['home', 'policy', 'compare', 'search'],
  desktop: ['compare', 'search'],
};

module.exports = (S) => {
  describe('Lighthouse (subset; node tests/browser/lighthouse.js runs every page type)', () => {
    for (const [form, names] of Object.entries(SUBSET)) {
      it(`${form}: ${names.join(', ')}`, { timeout: 300000 }, async () => {
        const rows = await audit(S.server.base, PAGES.filter((p) => names.includes(p.name)), [form]);
        console.log(table(rows));
        const bad = rows.filter((r) => r.failures.length || r.runtimeError);
        assert.deepEqual(
          bad.map((r) => `${r.page} (${r.form}): ${r.runtimeError || r.failures.join('; ')}`),
          [],
          'every page reaches the thresholds',
        );
      });
    }
  });
};
