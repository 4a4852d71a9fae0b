'use strict';
/* Print: page.pdf of the Holy Cross policy and the compare matrix (saved to test-artifacts/), a
 * sane number of pages, and no navigation chrome under print media. */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { open, ensureDir, ARTIFACTS } = require('../lib/harness');

/** Pages in a PDF: `/Type /Page` objects (not `/Type /Pages`). */
function pdfPages(bytes) {
  return (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length;
}

const CASES = [
  { path: 'policies/holy-cross.html', file: 'holy-cross.pdf', min: 5, max: 60, chrome: ['.site-header', '.site-nav', '.toc', '.skip-link'] },
  { path: 'compare/index.html', file: 'compare.pdf', min: 1, max: 15, chrome: ['.site-header', '.site-nav', '.skip-link', '.compare-controls'] },
];

module.exports = (S) => {
  describe('print', () => {
    for (const c of CASES) {
      it(`${c.path}: PDF of ${c.min}–${c.max} pages without navigation chrome`, { timeout: 60000 }, async (t) => {
        const page = await S.strict.newPage();
        try {
          await open(page, S.server, { path: c.path });
          const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
          fs.writeFileSync(path.join(ensureDir(ARTIFACTS), c.file), pdf);
          const pages = pdfPages(pdf);
          t.diagnostic(`${c.path}: ${pages} pages, test-artifacts/${c.file}`);
          assert.ok(pages >= c.min && pages <= c.max, `${c.path} prints on ${pages} pages, expected ${c.min}–${c.max}`);

          await page.emulateMedia({ media: 'print' });
          const shown = await page.evaluate((selectors) => {
            const out = {};
            for (const sel of selectors) {
              const els = Array.from(document.querySelectorAll(sel));
              out[sel] = els.length === 0 ? 'absent' : els.map((el) => getComputedStyle(el).display);
            }
            return out;
          }, c.chrome);
          for (const sel of c.chrome) {
            assert.notEqual(shown[sel], 'absent', `${sel} exists on ${c.path}`);
            assert.ok(shown[sel].every((d) => d === 'none'), `${sel} is display:none in print, got ${shown[sel].join(', ')}`);
          }
          if (c.path.startsWith('policies/')) {
            const clauses = await page.$$eval('[data-clause]', (els) => els.filter((el) => !el.checkVisibility()).length);
            assert.equal(clauses, 0, 'every clause prints');
          } else {
            // The printed matrix shows every school and topic even when some were hidden on screen.
            await page.emulateMedia({ media: 'screen' });
            await page.locator('#pkb-compare-controls input[name="school"]').first().uncheck();
            await page.emulateMedia({ media: 'print' });
            const hidden = await page.$$eval('table.matrix td, table.matrix th', (els) => els.filter((el) => !el.checkVisibility()).length);
            assert.equal(hidden, 0, 'hidden matrix cells are printed');
          }
          await page.emulateMedia({ media: 'screen' });
        } finally {
          await page.close();
        }
      });
    }
  });
};
