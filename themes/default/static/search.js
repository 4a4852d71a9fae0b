/* policykb search client.
 *
 * Ranks clauses exactly as `policykb search` does (src/search/query.rs and index.rs): the same
 * analyser (tokens of letters and digits, lower-cased, Lucene's English stop words, Snowball
 * English stems from stemmer.js), the same query plan (phrases, filler, synonyms, typos,
 * completions) and tantivy's BM25 in 32-bit floats. The index (assets/search-index.js) holds
 * each clause's text once; postings are built from it when search is first used.
 *
 * No framework and no HTML strings: results are built from DOM nodes and text nodes, so
 * content can never inject markup, and nothing here needs 'unsafe-inline' or eval.
 */
(function () {
  'use strict';
  var PolicyKB = (globalThis.PolicyKB = globalThis.PolicyKB || {});

  // ---- Analyser (mirror of src/search/analyzer.rs) -------------------------------------
  var STOP_WORDS = new Set(('a an and are as at be but by for if in into is it no not of on or ' +
    'such that the their then there these they this to was will with').split(' '));
  var TOKEN = /[\p{Alphabetic}\p{N}]+/gu;

  function lower(word) {
    // tantivy lower-cases character by character (no final-sigma rule).
    if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
    var out = '';
    for (var ch of word) out += ch.toLowerCase();
    return out;
  }

  /** Tokens of `text`: {word, start, end, position}. */
  function tokens(text) {
    var out = [];
    var m;
    var position = 0;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      out.push({ word: lower(m[0]), start: m.index, end: m.index + m[0].length, position: position++ });
    }
    return out;
  }

  var stemCache = new Map();
  /** The term for a lower-cased word, or null for a stop word. */
  function term(word) {
    if (STOP_WORDS.has(word)) return null;
    var t = stemCache.get(word);
    if (t === undefined) {
      t = PolicyKB.stem(word);
      stemCache.set(word, t);
    }
    return t;
  }

  // Optimal string alignment distance, as strsim::osa_distance (on characters).
  function osa(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push(new Array(b.length + 1).fill(0));
      rows[i][0] = i;
    }
    for (var j = 0; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = d;
      }
    }
    return rows[a.length][b.length];
  }

  // ---- Engine --------------------------------------------------------------------------
  var f = Math.fround;
  var K1 = f(1.2);
  var B = f(0.75);

  /**
   * Rows of the index as named records, by the field names the index declares in `schema`
   * (docs/search-index.md): the index stays compact, the code reads `doc.text`, not `doc[3]`.
   */
  function records(rows, fields) {
    return rows.map(function (row) {
      var record = {};
      fields.forEach(function (name, i) { record[name] = row[i]; });
      return record;
    });
  }

  var SCHEMA = 'policykb-search-index';
  var SCHEMA_VERSION = 2;

  /** The engine for `index`, with its postings built at once. `Engine.build` builds the same
   * engine a slice at a time, so that a page stays responsive while it does. */
  function Engine(index, deferred) {
    if (!index.schema || index.schema.name !== SCHEMA || index.schema.version !== SCHEMA_VERSION) {
      throw new Error('search index is not ' + SCHEMA + ' version ' + SCHEMA_VERSION + '; rebuild the site');
    }
    this.index = index;
    this.config = index.config;
    this.docs = records(index.docs, index.schema.doc);
    this.schools = records(index.schools, index.schema.school);
    this.postings = new Map(); // term -> [[doc, tf], ...]
    this.totalLength = 0;
    this.indexed = 0;
    this.docTokens = [];
    if (!deferred) {
      this.indexDocs(index.docs.length);
      this.finish();
    }
  }

  /** Adds the postings of the documents up to (not including) `end`. */
  Engine.prototype.indexDocs = function (end) {
    var postings = this.postings;
    for (var d = this.indexed; d < end; d++) {
      var counts = new Map();
      var toks = tokens(this.searchedText(d));
      for (var k = 0; k < toks.length; k++) {
        var t = term(toks[k].word);
        if (t === null) continue;
        counts.set(t, (counts.get(t) || 0) + 1);
        this.totalLength++;
      }
      counts.forEach(function (tf, t) {
        var list = postings.get(t);
        if (!list) postings.set(t, (list = []));
        list.push([d, tf]);
      });
    }
    this.indexed = Math.max(this.indexed, end);
  };

  /** Resolves to the engine for `index`, built in slices of about `sliceMs` (default 8 ms)
   * with the page's own work let through in between. */
  Engine.build = function (index, sliceMs) {
    var engine = new Engine(index, true);
    var count = index.docs.length;
    var budget = sliceMs || 8;
    return new Promise(function (resolve, reject) {
      function slice() {
        try {
          var until = performance.now() + budget;
          while (engine.indexed < count && performance.now() < until) engine.indexDocs(Math.min(engine.indexed + 8, count));
          if (engine.indexed < count) return setTimeout(slice, 0);
          engine.finish();
          // The first search runs in a task of its own, not on the end of this one.
          setTimeout(resolve, 0, engine);
        } catch (e) {
          reject(e);
        }
      }
      slice();
    });
  };

  /** Completes the engine once every document is indexed: vocabulary, lengths, synonyms. */
  Engine.prototype.finish = function () {
    var postings = this.postings;
    this.vocabulary = Array.from(postings.keys()).sort(compareStrings);
    this.docCount = this.index.docs.length;
    this.averageLength = f(f(this.totalLength) / f(this.docCount));
    // Synonym groups as terms; multi-word entries as word lists.
    var self = this;
    this.synonymTerms = [];
    this.multiWord = [];
    var groups = this.config.synonyms.map(function (g) { return [g, self.config.synonym_weight]; })
      .concat(this.config.variants.map(function (g) { return [g, 1]; }));
    groups.forEach(function (pair, g) {
      var group = pair[0];
      var terms = [];
      group.forEach(function (entry) {
        var words = tokens(entry).map(function (x) { return x.word; });
        if (words.length > 1) self.multiWord.push([words, g]);
        else if (words.length === 1) {
          var t = term(words[0]);
          if (t !== null) terms.push(t);
        }
      });
      self.synonymTerms.push([terms, pair[1]]);
    });
    this.filler = new Set();
    this.config.filler.forEach(function (entry) {
      tokens(entry).forEach(function (x) { self.filler.add(x.word); });
    });
  };

  var SURROGATE = /[\uD800-\uDFFF]/;

  function compareStrings(a, b) {
    // Rust compares strings by UTF-8 bytes, which is code point order. Without surrogate
    // pairs, UTF-16 order (JavaScript's <) is the same, and far cheaper.
    if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
    var ai = Array.from(a), bi = Array.from(b);
    for (var i = 0; i < Math.min(ai.length, bi.length); i++) {
      var x = ai[i].codePointAt(0), y = bi[i].codePointAt(0);
      if (x !== y) return x < y ? -1 : 1;
    }
    return ai.length - bi.length;
  }

  var PHRASE = /["“”]([^"“”]*)["“”]/g;

  /** The query plan: {groups: [{word, terms: [{term, weight}]}], phrases: [[[offset, term]]]}. */
  Engine.prototype.plan = function (query) {
    var self = this;
    var plan = { groups: [], phrases: [] };
    var exact = [];
    query.replace(PHRASE, function (_, inner) {
      var analysed = tokens(inner)
        .map(function (x) { return { term: term(x.word), position: x.position }; })
        .filter(function (x) { return x.term !== null; });
      if (analysed.length) {
        var first = analysed[0].position;
        analysed.forEach(function (x) { exact.push(x.term); });
        if (analysed.length > 1) {
          plan.phrases.push(analysed.map(function (x) { return [x.position - first, x.term]; }));
        }
      }
      return ' ';
    });
    var rest = query.replace(PHRASE, ' ').replace(/["“”]/g, ' ');
    var last = Array.from(query).pop();
    var typing = last !== undefined && /[\p{Alphabetic}\p{N}]/u.test(last);
    var words = tokens(rest).map(function (x) { return { text: x.word, kind: 'plain' }; });
    if (typing && words.length) words[words.length - 1].kind = 'typing';
    // Multi-word synonyms become one word.
    for (var i = 0; i < words.length; i++) {
      for (var m = 0; m < this.multiWord.length; m++) {
        var entry = this.multiWord[m][0];
        if (words.length - i < entry.length) continue;
        var all = true;
        for (var e = 0; e < entry.length; e++) if (entry[e] !== words[i + e].text) all = false;
        if (all) {
          words.splice(i, entry.length, { text: entry.join(' '), kind: 'synonym', group: this.multiWord[m][1] });
          break;
        }
      }
    }
    var meaningful = words.filter(function (w) { return !self.filler.has(w.text); });
    if (meaningful.length) words = meaningful;
    exact.forEach(function (t) { self.pushGroup(plan, t, [{ term: t, weight: 1 }]); });
    words.forEach(function (w) { self.pushGroup(plan, w.text, self.expand(w)); });
    return plan;
  };

  Engine.prototype.pushGroup = function (plan, word, terms) {
    if (!terms.length || plan.groups.some(function (g) { return g.word === word; })) return;
    terms.sort(function (a, b) { return b.weight - a.weight || compareStrings(a.term, b.term); });
    plan.groups.push({ word: word, terms: terms });
  };

  Engine.prototype.expand = function (word) {
    var self = this;
    var c = this.config;
    var found = new Map();
    function add(t, weight) {
      if (!self.postings.has(t)) return;
      weight = f(weight);
      if (!(found.get(t) >= weight)) found.set(t, weight);
    }
    function result() {
      return Array.from(found.keys()).sort(compareStrings).map(function (t) { return { term: t, weight: found.get(t) }; });
    }
    if (word.kind === 'synonym') {
      tokens(word.text).forEach(function (x) {
        if (self.filler.has(x.word)) return;
        var t = term(x.word);
        if (t !== null) add(t, 1);
      });
      var chosen = this.synonymTerms[word.group];
      chosen[0].forEach(function (t) { add(t, chosen[1]); });
      return result();
    }
    var stem = term(word.text);
    if (stem === null) return [];
    var bases = [[stem, 1]];
    var length = Array.from(word.text).length;
    if (!this.postings.has(stem) && length >= 4) {
      var stemLength = Array.from(stem).length;
      this.vocabulary.forEach(function (t) {
        var d = osa(stem, t);
        if (d === 1) bases.push([t, c.typo_weight]);
        else if (d === 2 && stemLength >= 8) bases.push([t, f(f(c.typo_weight) * f(c.typo_weight))]);
      });
    }
    bases.forEach(function (base) {
      add(base[0], base[1]);
      self.synonymTerms.forEach(function (pair) {
        if (pair[0].indexOf(base[0]) < 0) return;
        pair[0].forEach(function (s) {
          if (s !== base[0]) add(s, f(f(base[1]) * f(pair[1])));
        });
      });
    });
    if (word.kind === 'typing' && length >= 3) {
      var prefix = word.text;
      var completions = this.vocabulary.filter(function (t) { return t.startsWith(prefix) && t !== stem; });
      completions.sort(function (a, b) {
        return self.postings.get(b).length - self.postings.get(a).length || compareStrings(a, b);
      });
      completions.slice(0, c.max_prefix_terms).forEach(function (t) { add(t, c.prefix_weight); });
    }
    return result();
  };

  // tantivy's BM25 (src/query/bm25.rs), in 32-bit floats.
  Engine.prototype.idf = function (docFreq) {
    var x = f(f(f(this.docCount - docFreq) + f(0.5)) / f(f(docFreq) + f(0.5)));
    return f(Math.log(f(f(1) + x)));
  };

  Engine.prototype.bm25 = function (t, weight, tf, doc) {
    var w = f(f(this.idf(this.postings.get(t).length) * f(f(1) + K1)) * f(weight));
    var length = this.docs[doc].length;
    var norm = f(K1 * f(f(f(1) - B) + f(f(B * f(length)) / this.averageLength)));
    var tff = f(tf);
    return f(w * f(tff / f(tff + norm)));
  };

  /** What a clause is found by: its section heading, its lead-in and its text (index.rs, searched_text). */
  Engine.prototype.searchedText = function (doc) {
    var d = this.docs[doc];
    var heading = this.index.headings[d.heading].split(' › ').pop();
    return (heading ? heading + '\n' : '') + (d.lead !== null ? d.lead + '\n' : '') + d.text;
  };

  Engine.prototype.hasPhrase = function (doc, phrase) {
    var positions = new Map();
    tokens(this.searchedText(doc)).forEach(function (x) {
      var t = term(x.word);
      if (t === null) return;
      if (!positions.has(t)) positions.set(t, new Set());
      positions.get(t).add(x.position);
    });
    var starts = positions.get(phrase[0][1]);
    if (!starts) return false;
    return Array.from(starts).some(function (p) {
      return phrase.every(function (pair) {
        var at = positions.get(pair[1]);
        return at && at.has(p + pair[0]);
      });
    });
  };

  /**
   * Searches. Options: {school: slug, limit: n}. Returns [{doc, score, terms}] best first
   * (ties in index order), the home school's results first when the site names one.
   */
  Engine.prototype.search = function (query, options) {
    options = options || {};
    var self = this;
    var plan = this.plan(query);
    var scores = new Map(); // doc -> total
    var matched = new Map(); // doc -> Set of terms
    plan.groups.forEach(function (group) {
      var best = new Map();
      group.terms.forEach(function (e) {
        self.postings.get(e.term).forEach(function (p) {
          var s = self.bm25(e.term, e.weight, p[1], p[0]);
          if (!(best.get(p[0]) >= s)) best.set(p[0], s);
          if (!matched.has(p[0])) matched.set(p[0], new Set());
          matched.get(p[0]).add(e.term);
        });
      });
      best.forEach(function (s, d) { scores.set(d, f((scores.get(d) || 0) + s)); });
    });
    var schoolIndex = -1;
    if (options.school) {
      schoolIndex = this.schools.findIndex(function (s) { return s.slug === options.school; });
    }
    var hits = [];
    scores.forEach(function (score, d) {
      if (schoolIndex >= 0 && self.docs[d].school !== schoolIndex) return;
      if (!plan.phrases.every(function (ph) { return self.hasPhrase(d, ph); })) return;
      hits.push({ doc: d, score: score, terms: matched.get(d) });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    // One school's many matches must not push the others' best answers off the first page
    // (index.rs, spread_schools): each further hit of a school counts school_decay times less.
    var seen = new Map();
    var decay = f(this.config.school_decay);
    var ranked = hits.map(function (h) {
      var school = self.docs[h.doc].school;
      var earlier = seen.get(school) || 0;
      var factor = f(1);
      for (var i = 0; i < earlier; i++) factor = f(factor * decay);
      seen.set(school, earlier + 1);
      return { hit: h, adjusted: f(h.score * factor) };
    });
    ranked.sort(function (a, b) { return b.adjusted - a.adjusted; });
    hits = ranked.map(function (r) { return r.hit; });
    var home = this.config.home;
    if (home) {
      var homeIndex = this.schools.findIndex(function (s) { return s.slug === home; });
      var first = hits.filter(function (h) { return self.docs[h.doc].school === homeIndex; });
      hits = first.concat(hits.filter(function (h) { return self.docs[h.doc].school !== homeIndex; }));
    }
    if (options.limit) hits = hits.slice(0, options.limit);
    return hits;
  };

  /** A result as data: school, policy, clause, label, url (site-relative), heading, lead, text, score, also. */
  Engine.prototype.describe = function (hit) {
    var doc = this.docs[hit.doc];
    var school = this.schools[doc.school];
    var page = 'policies/' + school.slug + '.html#';
    return {
      school: school.name,
      short: school.short,
      policy: school.slug,
      clause: doc.ids[0],
      label: doc.labels[0],
      url: page + doc.ids[0],
      heading: this.index.headings[doc.heading],
      lead: doc.lead,
      text: doc.text,
      score: hit.score,
      also: doc.ids.slice(1).map(function (id, i) { return { clause: id, label: doc.labels[i + 1], url: page + id }; }),
      related: doc.related.map(function (d) {
        var other = this.docs[d];
        var school = this.schools[other.school];
        return { short: school.short, label: other.labels[0], url: 'policies/' + school.slug + '.html#' + other.ids[0] };
      }, this),
    };
  };

  /** Pieces of `text` around the matched terms: [{text, mark}], at most ~`width` characters. */
  Engine.prototype.snippet = function (text, terms, width) {
    var toks = tokens(text).filter(function (x) {
      var t = term(x.word);
      return t !== null && terms.has(t);
    });
    var start = 0, end = text.length;
    if (text.length > width) {
      var centre = toks.length ? toks[0].start : 0;
      start = Math.max(0, centre - Math.floor(width / 3));
      end = Math.min(text.length, start + width);
      // Whole words only.
      if (start > 0) start = text.indexOf(' ', start) + 1 || start;
      if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
    }
    var pieces = [];
    var at = start;
    toks.forEach(function (x) {
      if (x.start < at || x.end > end) return;
      if (x.start > at) pieces.push({ text: text.slice(at, x.start), mark: false });
      pieces.push({ text: text.slice(x.start, x.end), mark: true });
      at = x.end;
    });
    if (at < end) pieces.push({ text: text.slice(at, end), mark: false });
    if (start > 0) pieces.unshift({ text: '… ', mark: false });
    if (end < text.length) pieces.push({ text: ' …', mark: false });
    return pieces;
  };

  PolicyKB.Engine = Engine;
  PolicyKB.analyse = { tokens: tokens, term: term };
  if (typeof module === 'object' && module.exports) module.exports = { Engine: Engine, tokens: tokens, term: term };
})();
