'use strict';
/* Link check with the site published under a sub-path: crawl every page reachable by <a href>
 * from /policies-site/index.html, fetch every href and src it uses (pages, stylesheets, scripts,
 * images, data files), and check that every #fragment names an element on its target page.
 * Nothing may 404 — a root-absolute link (/assets/...) escapes the sub-path and does. */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SUBPATH } = require('../lib/harness');

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decode(value) {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Start tags with their attributes, from generated HTML (comments and script bodies skipped). */
function tags(html) {
  const out = [];
  const clean = html.replace(/<!--[\s\S]*?-->/g, '').replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1');
  const tagRe = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  let m;
  while ((m = tagRe.exec(clean))) {
    const attrs = {};
    const attrRe = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
    let a;
    while ((a = attrRe.exec(m[2]))) attrs[a[1].toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
    out.push({ name: m[1].toLowerCase(), attrs });
  }
  return out;
}

/** Attributes that make the browser (or the reader) fetch something. */
const RESOURCE_ATTRS = { link: ['href'], script: ['src'], img: ['src'], source: ['src'], iframe: ['src'], video: ['src', 'poster'], audio: ['src'], embed: ['src'], object: ['data'], image: ['href', 'xlink:href'], use: ['href', 'xlink:href'] };

module.exports = (S) => {
  describe('links under the sub-path', () => {
    it(`crawl from ${SUBPATH}index.html: no 404s, every #fragment exists`, { timeout: 90000 }, async (t) => {
      const origin = S.server.origin;
      const start = S.server.url('index.html');
      const inside = (u) => u.origin === origin;
      const pages = new Map(); // url without hash -> { ids, html }
      const fetched = new Map(); // url without hash -> status
      const fragments = []; // { from, url, id }
      const broken = [];
      const escapes = [];

      async function get(url) {
        if (!fetched.has(url)) {
          const res = await fetch(url, { redirect: 'follow' });
          const type = res.headers.get('content-type') || '';
          const body = type.startsWith('text/html') ? await res.text() : (await res.arrayBuffer(), null);
          fetched.set(url, { status: res.status, body, type });
        }
        return fetched.get(url);
      }

      // The 404 page, served for a missing page deep under the sub-path, is scanned too.
      const missing = S.server.url('no-such-folder/no-such-page.html');
      const queue = [start, missing];
      const queued = new Set(queue);
      while (queue.length) {
        const pageUrl = queue.shift();
        const res = await get(pageUrl);
        if ((res.status !== 200 && pageUrl !== missing) || res.body === null) continue;
        const parsed = tags(res.body);
        const base = parsed.find((t) => t.name === 'base' && t.attrs.href);
        const baseUrl = base ? new URL(base.attrs.href, pageUrl).href : pageUrl;
        const ids = new Set();
        for (const t of parsed) {
          if (t.attrs.id) ids.add(t.attrs.id);
          if (t.name === 'a' && t.attrs.name) ids.add(t.attrs.name);
        }
        pages.set(pageUrl, { ids });
        for (const t of parsed) {
          const refs = [];
          if ((t.name === 'a' || t.name === 'area') && t.attrs.href !== undefined) refs.push({ ref: t.attrs.href, page: true });
          // A GET form (the header search) leads to a page too.
          if (t.name === 'form' && t.attrs.action !== undefined && !/^post$/i.test(t.attrs.method || '')) refs.push({ ref: t.attrs.action, page: true });
          for (const attr of RESOURCE_ATTRS[t.name] || []) {
            if (t.attrs[attr] !== undefined && !(t.name === 'link' && /\bcanonical\b/.test(t.attrs.rel || ''))) refs.push({ ref: t.attrs[attr] });
          }
          if (t.attrs.srcset) for (const part of t.attrs.srcset.split(',')) refs.push({ ref: part.trim().split(/\s+/)[0] });
          for (const { ref, page } of refs) {
            let u;
            try {
              u = new URL(ref, baseUrl);
            } catch {
              broken.push(`${pageUrl}: unparsable ${t.name} ${ref}`);
              continue;
            }
            if (!/^https?:$/.test(u.protocol) || !inside(u)) continue;
            if (!u.pathname.startsWith(SUBPATH)) escapes.push(`${pageUrl.slice(origin.length)}: <${t.name}> ${ref} leaves ${SUBPATH}`);
            const hash = u.hash;
            u.hash = '';
            const target = u.href;
            if (hash.length > 1) fragments.push({ from: pageUrl, ref, url: target, id: decodeURIComponent(hash.slice(1)) });
            // A link within the page itself (the skip link) needs no fetch: the page is here.
            if (ref.startsWith('#')) continue;
            const r = await get(target);
            if (r.status >= 400) broken.push(`${pageUrl.slice(origin.length)}: <${t.name}> ${ref} → HTTP ${r.status}`);
            if (page && r.status === 200 && r.type.startsWith('text/html') && !queued.has(target)) {
              queued.add(target);
              queue.push(target);
            }
          }
        }
      }

      // Scripts the search box loads on demand, named in search-ui.js.
      const ui = fs.readFileSync(path.join(S.dir, 'assets', 'search-ui.js'), 'utf8');
      for (const m of ui.matchAll(/load\('([^']+)'\)/g)) {
        const r = await get(S.server.url(`assets/${m[1]}`));
        if (r.status !== 200) broken.push(`assets/${m[1]} (loaded by search-ui.js) → HTTP ${r.status}`);
      }
      // The open-data package's resources.
      const pkg = JSON.parse(fs.readFileSync(path.join(S.dir, 'data', 'datapackage.json'), 'utf8'));
      for (const resource of pkg.resources || []) {
        const r = await get(S.server.url(`data/${resource.path}`));
        if (r.status !== 200) broken.push(`data/${resource.path} (in datapackage.json) → HTTP ${r.status}`);
      }

      for (const f of fragments) {
        const target = pages.get(f.url);
        if (!target) {
          const r = fetched.get(f.url);
          if (r && r.status === 200 && r.body === null) continue; // not an HTML page (fragment in a data file)
          if (r && r.status >= 400) continue; // already reported as broken
          broken.push(`${f.from.slice(origin.length)}: ${f.ref} → page not crawled`);
          continue;
        }
        if (!target.ids.has(f.id) && f.id !== 'top') {
          broken.push(`${f.from.slice(origin.length)}: ${f.ref} → no element with id "${f.id}" on ${f.url.slice(origin.length)}`);
        }
      }

      // Every page in the build is reachable by links (besides 404.html) and listed in the sitemap.
      const built = [];
      (function walk(dir, rel) {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(path.join(dir, entry.name), `${rel}${entry.name}/`);
          else if (entry.name.endsWith('.html')) built.push(`${rel}${entry.name}`);
        }
      })(S.dir, '');
      assert.equal(fetched.get(missing).status, 404, 'a missing page gets status 404');
      const crawled = new Set(Array.from(pages.keys()).map((u) => u.slice(S.server.base.length)));
      const unreachable = built.filter((p) => p !== '404.html' && !crawled.has(p) && !crawled.has(p.replace(/(^|\/)index\.html$/, '$1')));

      const sitemap = fs.readFileSync(path.join(S.dir, 'sitemap.xml'), 'utf8');
      const locs = Array.from(sitemap.matchAll(/<loc>([^<]*)<\/loc>/g), (m) => decode(m[1]));
      // The address the site was built for: 404.html's <base>, else the sitemap's first entry.
      const baseTag = /<base href="([^"]*)">/.exec(fs.readFileSync(path.join(S.dir, '404.html'), 'utf8'));
      const siteBase = baseTag ? decode(baseTag[1]) : locs.length ? locs[0].replace(/[^/]*$/, '') : '';
      for (const loc of locs) {
        const rel = loc.startsWith(siteBase) ? loc.slice(siteBase.length) : loc;
        const r = await get(S.server.url(rel));
        if (r.status !== 200) broken.push(`sitemap.xml: ${loc} → HTTP ${r.status}`);
      }

      t.diagnostic(`${pages.size} pages crawled, ${fetched.size} URLs fetched, ${fragments.length} #fragments checked`);
      assert.ok(pages.size > 20, `crawled only ${pages.size} pages`);
      assert.deepEqual(escapes.slice(0, 30), [], `${escapes.length} links leave the sub-path`);
      assert.deepEqual(broken.slice(0, 40), [], `${broken.length} broken links or fragments (of ${fetched.size} URLs, ${fragments.length} fragments)`);
      assert.deepEqual(unreachable, [], 'pages no link leads to');
    });
  });
};
