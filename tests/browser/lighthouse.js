'use strict';
/* Lighthouse audits of the built site, on phone (Lighthouse's default mobile profile) and on
 * desktop, for every page type.
 *
 * Each page must score 100 for accessibility, best practices and SEO, and at least 95 for
 * performance. The site is served by the browser suite's own server (under /policies-site/, with
 * `Content-Security-Policy: default-src 'self'`), and audited in Debian's chromium
 * (CHROME_PATH, default /usr/bin/chromium) started with --headless=new --no-sandbox.
 *
 * Lighthouse refuses to audit a page that answers 404, as the 404 page rightly does for a missing
 * address, so the 404 page is audited at its own name (404.html), where it answers 200.
 *
 * Run every page type × both profiles (a few minutes):
 *   node tests/browser/lighthouse.js                    # builds the site with cargo when POLICYKB_SITE is unset
 *   node tests/browser/lighthouse.js --pages home,compare --forms mobile
 * It prints a table of scores, writes each report to test-artifacts/lighthouse/, and exits with
 * status 1 when a page misses a threshold. The browser suite (suites/lighthouse.js) runs a
 * representative subset through `audit` below. */
const fs = require('node:fs');
const path = require('node:path');
const harness = require('./lib/harness');

const THRESHOLDS = { accessibility: 100, 'best-practices': 100, seo: 100, performance: 95 };
const REPORTS = path.join(harness.ARTIFACTS, 'lighthouse');
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/** One page of each type Lighthouse audits. */
const PAGES = [
  { name: 'home', path: 'index.html' },
  { name: 'policy', path: 'policies/holy-cross.html' },
  { name: 'compare', path: 'compare/' },
  { name: 'topic', path: 'compare/contact-parents.html' },
  { name: 'pair', path: 'compare/caldecote--elthorne-park.html' },
  { name: 'routes', path: 'routes/' },
  { name: 'concern', path: 'routes/staff-cyberbullied.html' },
  { name: 'reviews', path: 'reviews/' },
  { name: 'search', path: 'search.html?q=' + encodeURIComponent(harness.QUERY) },
  { name: 'accessibility', path: 'accessibility.html' },
  { name: '404', path: '404.html' },
];

/**
 * Audits `pages` (entries of PAGES) of the site served at `base` in each of `forms`
 * ('mobile', 'desktop'). Resolves to one row per page and profile: `{ page, form, scores,
 * metrics, failures }`, where `failures` lists each category under its threshold.
 */
async function audit(base, pages = PAGES, forms = ['mobile', 'desktop']) {
  const { default: lighthouse } = await import('lighthouse');
  const { default: desktopConfig } = await import('lighthouse/core/config/desktop-config.js');
  const chromeLauncher = await import('chrome-launcher');
  if (!fs.existsSync(CHROME_PATH)) throw new Error(`no chromium at ${CHROME_PATH}: set CHROME_PATH or apt-get install chromium`);
  fs.mkdirSync(REPORTS, { recursive: true });
  const rows = [];
  for (const form of forms) {
    for (const page of pages) {
      // A fresh browser for each audit, so that nothing (a cached icon, a warm script) carries over.
      const chrome = await chromeLauncher.launch({
        chromePath: CHROME_PATH,
        chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
      });
      try {
        const flags = {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: Object.keys(THRESHOLDS),
        };
        const result = await lighthouse(base + page.path, flags, form === 'desktop' ? desktopConfig : undefined);
        const lhr = result.lhr;
        fs.writeFileSync(path.join(REPORTS, `${page.name}-${form}.json`), result.report);
        const scores = {};
        for (const id of Object.keys(THRESHOLDS)) scores[id] = Math.round((lhr.categories[id].score || 0) * 100);
        const metric = (id) => lhr.audits[id] && lhr.audits[id].numericValue;
        const failures = Object.entries(THRESHOLDS)
          .filter(([id, min]) => scores[id] < min)
          .map(([id, min]) => {
            const failing = lhr.categories[id].auditRefs
              .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
              .map((ref) => `${ref.id} (${lhr.audits[ref.id].displayValue || lhr.audits[ref.id].score})`);
            return `${id} ${scores[id]} < ${min}: ${failing.join(', ')}`;
          });
        rows.push({
          page: page.name,
          form,
          scores,
          metrics: { tbt: metric('total-blocking-time'), cls: metric('cumulative-layout-shift'), lcp: metric('largest-contentful-paint') },
          failures,
          runtimeError: lhr.runtimeError && lhr.runtimeError.message,
        });
      } finally {
        await chrome.kill();
      }
    }
  }
  return rows;
}

/** The rows as a plain-text table. */
function table(rows) {
  const head = 'page           form     perf  a11y  bp   seo   TBT ms  CLS    LCP ms';
  const lines = rows.map((r) =>
    [
      r.page.padEnd(14),
      r.form.padEnd(8),
      String(r.scores.performance).padStart(4),
      String(r.scores.accessibility).padStart(5),
      String(r.scores['best-practices']).padStart(4),
      String(r.scores.seo).padStart(5),
      String(Math.round(r.metrics.tbt || 0)).padStart(7),
      (r.metrics.cls || 0).toFixed(3).padStart(6),
      String(Math.round(r.metrics.lcp || 0)).padStart(7),
    ].join(' '),
  );
  return [head, ...lines].join('\n');
}

async function main() {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1].split(',') : null;
  };
  const names = arg('--pages');
  const pages = names ? PAGES.filter((p) => names.includes(p.name)) : PAGES;
  const forms = arg('--forms') || ['mobile', 'desktop'];
  const server = await harness.startServer(harness.siteDir());
  let rows;
  try {
    rows = await audit(server.base, pages, forms);
  } finally {
    await server.close();
  }
  console.log(table(rows));
  const bad = rows.filter((r) => r.failures.length || r.runtimeError);
  for (const r of bad) console.log(`\n${r.page} (${r.form}): ${r.runtimeError || r.failures.join('\n  ')}`);
  console.log(`\nReports: ${path.relative(process.cwd(), REPORTS)}/`);
  process.exitCode = bad.length ? 1 : 0;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}

module.exports = { PAGES, THRESHOLDS, audit, table };
