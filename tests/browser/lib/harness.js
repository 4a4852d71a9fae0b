'use strict';
/* Shared machinery for the browser suite: the built site, a tiny static server that publishes it
 * under a sub-path with a strict Content-Security-Policy, one headless chromium, and helpers to
 * open pages, watch them for errors and run axe-core.
 *
 * The site is the folder named by POLICYKB_SITE (tests/browser.rs builds it with the crate's
 * binary); when that is unset the suite builds the site itself with `cargo run`. */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..', '..');
const BROWSER_DIR = path.resolve(__dirname, '..');
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');
const AXE_PATH = require.resolve('axe-core/axe.min.js', { paths: [BROWSER_DIR] });
const CHROMIUM = process.env.POLICYKB_CHROMIUM || '/usr/bin/chromium';
const TODAY = '2026-11-21';
/** The sub-path the site is published under, as on a school's web server. */
const SUBPATH = '/policies-site/';
const CSP = "default-src 'self'";
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const QUERY = 'can I friend a parent';

/** The built site's folder: POLICYKB_SITE, or a fresh build into a temporary folder. */
function siteDir() {
  const given = process.env.POLICYKB_SITE;
  if (given) {
    if (!fs.existsSync(path.join(given, 'index.html'))) {
      throw new Error(`POLICYKB_SITE=${given} holds no index.html: build the site first`);
    }
    return path.resolve(given);
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'policykb-browser-'));
  process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  execFileSync('cargo', ['run', '-q', '--', 'build', '--root', REPO, '--today', TODAY, '--out', out], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

/** Content types worth compressing. */
const COMPRESSIBLE = /^(text\/|application\/(json|xml)|image\/svg\+xml)/;

/**
 * Serves `dir` at http://127.0.0.1:PORT/policies-site/ with `Content-Security-Policy:
 * default-src 'self'` on every response, text gzip-compressed when the browser accepts it. Unknown
 * paths get status 404 and the site's 404.html.
 *
 * 404.html links from the site's configured address (base_url in site.toml) so that it works at
 * any depth; a server publishing the site at base_url serves it unchanged. This server stands in
 * for that address, so it puts its own address in place of base_url in the 404 page, whether
 * it is sent for a missing page or asked for by name (/policies-site/404.html, status 200, as
 * Lighthouse needs). Nothing else is changed.
 */
async function startServer(dir) {
  const root = path.resolve(dir);
  const notFoundPage = fs.readFileSync(path.join(root, '404.html'), 'utf8');
  // The configured address, read from the page's own canonical link.
  const configured = (notFoundPage.match(/<link rel="canonical" href="([^"]*?)404\.html">/) || [])[1];
  let origin = '';
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    const send = (status, type, body, extra = {}) => {
      // Text is sent compressed when the browser accepts it, as any web server publishing the
      // site would (Lighthouse's timings assume what a real server sends).
      const compress = type && COMPRESSIBLE.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
      const encoded = compress ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {};
      res.writeHead(status, { ...headers, ...extra, ...encoded, ...(type ? { 'Content-Type': type } : {}) });
      res.end(req.method === 'HEAD' ? undefined : compress ? zlib.gzipSync(body) : body);
    };
    const notFoundHere = () => (configured ? notFoundPage.split(configured).join(`${origin}${SUBPATH}`) : notFoundPage);
    const notFound = () => send(404, TYPES['.html'], notFoundHere());
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, TYPES['.txt'], 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, TYPES['.txt'], 'bad request');
    }
    if (pathname === SUBPATH.slice(0, -1)) return send(301, null, '', { Location: SUBPATH });
    if (!pathname.startsWith(SUBPATH) || pathname.includes('\0')) return notFound();
    const file = path.join(root, pathname.slice(SUBPATH.length));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    if (file === path.join(root, '404.html')) return send(200, TYPES['.html'], notFoundHere());
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return notFound();
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) return send(301, null, '', { Location: pathname + '/' });
      const index = path.join(file, 'index.html');
      if (!fs.existsSync(index)) return notFound();
      return send(200, TYPES['.html'], fs.readFileSync(index));
    }
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    return send(200, type, fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    base: origin + SUBPATH,
    url: (rel) => origin + SUBPATH + rel,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: run \`bash .ci/run\` (it installs chromium) or apt-get install chromium`);
  }
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Every page type of the site, with the page to open for it. `shot` marks the one of each type
 * that is screenshotted; `ready` waits for what scripts add after load. */
function pageTypes(dir) {
  const policies = fs
    .readdirSync(path.join(dir, 'policies'))
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => f.slice(0, -'.html'.length));
  const types = [{ name: 'home', path: 'index.html', shot: true }];
  for (const slug of policies) {
    types.push({ name: `policy-${slug}`, path: `policies/${slug}.html`, shot: slug === 'holy-cross', policy: slug });
  }
  types.push(
    {
      name: 'search',
      path: 'search.html?q=' + encodeURIComponent(QUERY),
      shot: true,
      ready: (page) => page.locator('ol.results-page li.result').first().waitFor({ timeout: 15000 }),
    },
    { name: 'compare', path: 'compare/index.html', shot: true },
    { name: 'topic', path: 'compare/contact-parents.html', shot: true },
    { name: 'pair', path: 'compare/caldecote--elthorne-park.html', shot: true },
    { name: 'routes', path: 'routes/index.html', shot: true },
    { name: 'concern', path: 'routes/staff-cyberbullied.html', shot: true },
    { name: 'reviews', path: 'reviews/index.html', shot: true },
    { name: 'accessibility', path: 'accessibility.html', shot: true },
    { name: '404', path: 'no-such-page/missing.html', status: 404, shot: true },
  );
  return { policies, types };
}

/** Opens a page type in `page` and waits until its scripts have done their work. */
async function open(page, server, type) {
  page.__pkbExpect404 = type.status === 404;
  const response = await page.goto(server.url(type.path), { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${type.path}`);
  if (response.status() !== (type.status || 200)) {
    throw new Error(`${type.path}: status ${response.status()}, expected ${type.status || 200}`);
  }
  if (type.ready) await type.ready(page);
  return response;
}

/**
 * Records what goes wrong in `page`: console errors, uncaught exceptions, CSP violations (from
 * `securitypolicyviolation` events and chromium's console reports), failed requests and HTTP
 * errors for subresources. `expectedStatus` lets the 404 page's own document through.
 */
function watch(page) {
  const problems = [];
  // Chromium asks for /favicon.ico at the root of the host by itself; the site never does.
  const favicon = (url) => /^https?:\/\/[^/]+\/favicon\.ico$/.test(url || '');
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(msg.text())) {
      const loc = msg.location();
      if (favicon(loc && loc.url)) return;
      // The 404 page's own status is reported as a failed load of the document itself.
      if (/^Failed to load resource: .* 404/.test(msg.text()) && loc && loc.url === page.url()) {
        if (page.__pkbExpect404) return;
      }
      problems.push(`console.${msg.type()}: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (!favicon(req.url())) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document' && !favicon(res.url())) {
      problems.push(`HTTP ${res.status()} for ${res.url()}`);
    }
  });
  return {
    problems,
    /** Everything recorded so far plus the page's own CSP violation log, then cleared. */
    async take() {
      let csp = [];
      try {
        csp = await page.evaluate(() => (window.__pkbCsp || []).splice(0));
      } catch {
        /* page gone */
      }
      const all = problems.splice(0).concat(csp.map((v) => `CSP violation: ${v}`));
      return all;
    },
  };
}

/** An init script that logs every CSP violation event, for watch().take(). */
function recordCspViolations() {
  window.__pkbCsp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__pkbCsp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
  });
}

/** Runs axe-core in `page` (whose context must bypass CSP so the script can be injected). */
async function axe(page, options = {}) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(
    async ({ tags, options }) => {
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
        ...options,
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.length,
        targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
        summary: v.nodes[0] && v.nodes[0].failureSummary,
      }));
    },
    { tags: WCAG_TAGS, options },
  );
}

function formatViolations(name, violations) {
  return violations
    .map(
      (v) =>
        `  [${name}] ${v.id} (${v.impact}): ${v.help} — ${v.nodes} element(s), e.g.\n` +
        v.targets.map((t) => `      ${t}`).join('\n') +
        (v.summary ? `\n      ${v.summary.replace(/\n/g, '\n      ')}` : ''),
    )
    .join('\n');
}

function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Everything the suites share: the site folder, the server, one browser and its contexts.
 * `strict` obeys the CSP (no bypass); `audit` bypasses it, only so axe can be injected.
 */
async function setup(dir) {
  const server = await startServer(dir);
  const browser = await launchBrowser();
  const contextOptions = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' };
  const strict = await browser.newContext(contextOptions);
  await strict.addInitScript(recordCspViolations);
  const audit = await browser.newContext({ ...contextOptions, bypassCSP: true });
  return {
    dir,
    server,
    browser,
    strict,
    audit,
    contextOptions,
    async teardown() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

module.exports = {
  REPO,
  ARTIFACTS,
  SCREENSHOTS,
  SUBPATH,
  CSP,
  QUERY,
  TODAY,
  siteDir,
  startServer,
  pageTypes,
  setup,
  open,
  watch,
  recordCspViolations,
  axe,
  formatViolations,
  ensureDir,
};
