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
  var SCHEMA_VERSION = 3;

  /**
   * An engine over `index`. The postings are built at once, or, with `lazy`, left for
   * `addDocs` and `finish` (see `Engine.create`).
   */
  function Engine(index, lazy) {
    if (!index.schema || index.schema.name !== SCHEMA || index.schema.version !== SCHEMA_VERSION) {
      throw new Error('search index is not ' + SCHEMA + ' version ' + SCHEMA_VERSION + '; rebuild the site');
    }
    this.index = index;
    this.config = index.config;
    this.docs = records(index.docs, index.schema.doc);
    this.schools = records(index.schools, index.schema.school);
    this.postings = new Map(); // term -> [[doc, tf], ...]
    this.totalTerms = 0;
    this.built = 0;
    this.setUpVocabulary();
    if (!lazy) {
      this.addDocs(this.docs.length);
      this.finish();
    }
  }

  /** Adds the postings of the documents up to (not including) `until`, in document order. */
  Engine.prototype.addDocs = function (until) {
    var postings = this.postings;
    for (var d = this.built; d < until; d++) {
      var counts = new Map();
      var toks = tokens(this.searchedText(d));
      for (var k = 0; k < toks.length; k++) {
        var t = term(toks[k].word);
        if (t === null) continue;
        counts.set(t, (counts.get(t) || 0) + 1);
        this.totalTerms++;
      }
      counts.forEach(function (tf, t) {
        var list = postings.get(t);
        if (!list) postings.set(t, (list = []));
        list.push([d, tf]);
      });
    }
    this.built = Math.max(this.built, until);
  };

  /** Once every document is in: the sorted vocabulary and BM25's average length. */
  Engine.prototype.finish = function () {
    this.vocabulary = Array.from(this.postings.keys()).sort(compareStrings);
    this.vocabularyLengths = this.vocabulary.map(function (t) { return Array.from(t).length; });
    this.docCount = this.docs.length;
    this.averageLength = f(f(this.totalTerms) / f(this.docCount));
  };

  // Slices of at most this many milliseconds, so that building never makes a long task.
  var SLICE_MS = 8;
  var nextSlice = typeof requestIdleCallback === 'function'
    ? function (fn) { requestIdleCallback(fn, { timeout: 50 }); }
    : function (fn) { setTimeout(fn, 0); };

  /** Resolves to an engine whose postings were built in short slices between other work. */
  Engine.create = function (index) {
    return new Promise(function (resolve, reject) {
      var engine;
      try { engine = new Engine(index, true); } catch (e) { reject(e); return; }
      var total = engine.docs.length;
      engine.longestSliceMs = 0;
      (function slice() {
        var started = performance.now();
        var until = started + SLICE_MS;
        while (engine.built < total && performance.now() < until) engine.addDocs(Math.min(engine.built + 16, total));
        engine.longestSliceMs = Math.max(engine.longestSliceMs, performance.now() - started);
        if (engine.built < total) nextSlice(slice);
        else {
          engine.finish();
          resolve(engine);
        }
      })();
    });
  };

  /** Synonyms, filler, lexicon, topics and intents: what the planner needs besides postings. */
  Engine.prototype.setUpVocabulary = function () {
    var index = this.index;
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
        if (words.length > 1) self.multiWord.push([words, g, 'synonym']);
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
    // The lexicon (query.rs): one-word keys by stem, multi-word keys joined after synonyms.
    this.lexiconTargets = [];
    this.lexiconStems = new Map();
    this.config.lexicon.forEach(function (pair, entry) {
      var words = tokens(pair[0]).map(function (x) { return x.word; });
      if (words.length > 1) self.multiWord.push([words, entry, 'lexicon']);
      else if (words.length === 1) {
        var t = term(words[0]);
        if (t !== null && !self.lexiconStems.has(t)) self.lexiconStems.set(t, entry);
      }
      var stems = [];
      pair[1].forEach(function (target) {
        tokens(target).forEach(function (x) {
          var t = term(x.word);
          if (t !== null && stems.indexOf(t) < 0) stems.push(t);
        });
      });
      self.lexiconTargets.push(stems);
    });
    // A stem weighs by the number of topics that have it (topics.rs, stem_weight).
    var counts = new Map();
    index.topics.forEach(function (topic) {
      topic.terms.forEach(function (stem) { counts.set(stem, (counts.get(stem) || 0) + 1); });
    });
    this.topics = index.topics.map(function (topic) {
      return {
        terms: new Map(topic.terms.map(function (stem) { return [stem, index.topic_weights[counts.get(stem)]]; })),
        docs: topic.docs,
        docSet: new Set(topic.docs),
        stanceDocs: new Set(topic.stance_docs),
        card: self.card(topic),
      };
    });
    this.intents = this.config.intents.map(function (intent) {
      return {
        name: intent.name,
        phrases: intent.phrases.map(function (p) { return tokens(p).map(function (x) { return x.word; }); })
          .filter(function (w) { return w.length; }),
        topic: index.topics.findIndex(function (t) { return t.id === intent.topic; }),
        report: !!intent.report,
      };
    });
  };

  /**
   * A topic's answer card from the index's compact form, in the shape `policykb search --json`
   * prints (topics.rs, TopicCard): each school's stance, and the label and place of the clause
   * it rests on, read from that clause's document.
   */
  Engine.prototype.card = function (topic) {
    var self = this;
    var index = this.index;
    var place = function (school, clause) {
      for (var i = 0; i < topic.stance_docs.length; i++) {
        var doc = self.docs[topic.stance_docs[i]];
        var k = doc.ids.indexOf(clause);
        if (doc.school === school && k >= 0) return doc.labels[k];
      }
      return clause;
    };
    var route = topic.route === null ? null : index.concerns[topic.route];
    return {
      id: topic.id,
      title: topic.title,
      question: topic.question,
      url: 'compare/' + topic.id + '.html',
      schools: topic.schools.map(function (pair, s) {
        var school = self.schools[s];
        var stance = index.stances[pair[0]];
        return {
          policy: school.slug,
          school: school.short,
          stance: stance[0],
          stance_label: stance[1],
          clause: pair[1],
          label: pair[1] === null ? null : place(s, pair[1]),
          url: pair[1] === null ? null : 'policies/' + school.slug + '.html#' + pair[1],
        };
      }),
      route: route && {
        concern: route.id,
        title: route.title,
        url: 'routes/' + route.id + '.html',
        first_steps: route.first_steps.map(function (pair) {
          return { policy: self.schools[pair[0]].slug, school: self.schools[pair[0]].short, step: pair[1] };
        }),
      },
    };
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
  /** The part of a query that is read: its first max_query_chars characters (query.rs, bounded). */
  Engine.prototype.bounded = function (query) {
    var most = this.config.max_query_chars;
    if (query.length <= most) return query; // never more characters than UTF-16 units
    var count = 0, end = 0;
    for (var ch of query) {
      if (count === most) break;
      count++;
      end += ch.length;
    }
    return query.slice(0, end);
  };

  Engine.prototype.plan = function (query) {
    var self = this;
    var read = this.bounded(query);
    var plan = { groups: [], phrases: [], truncated: read.length < query.length };
    query = read;
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
          words.splice(i, entry.length, { text: entry.join(' '), kind: this.multiWord[m][2], group: this.multiWord[m][1] });
          break;
        }
      }
    }
    var meaningful = words.filter(function (w) { return !self.filler.has(w.text); });
    if (meaningful.length) words = meaningful;
    var most = this.config.max_query_words;
    if (exact.length + words.length > most) {
      plan.truncated = true;
      exact = exact.slice(0, most);
      words = words.slice(0, most - exact.length);
    }
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
    if (word.kind === 'synonym' || word.kind === 'lexicon') {
      tokens(word.text).forEach(function (x) {
        if (self.filler.has(x.word)) return;
        var t = term(x.word);
        if (t !== null) add(t, 1);
      });
      var chosen = word.kind === 'synonym' ? this.synonymTerms[word.group]
        : [this.lexiconTargets[word.group], c.lexicon_weight];
      chosen[0].forEach(function (t) { add(t, chosen[1]); });
      return result();
    }
    var stem = term(word.text);
    if (stem === null) return [];
    var bases = [[stem, 1]];
    var length = Array.from(word.text).length;
    var known = this.postings.has(stem) || this.lexiconStems.has(stem);
    if (!known && length >= 4) {
      var stemLength = Array.from(stem).length;
      var lengths = this.vocabularyLengths;
      this.vocabulary.forEach(function (t, i) {
        // Two edits at most: a term whose length differs by more cannot be one.
        if (Math.abs(lengths[i] - stemLength) > 2) return;
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
      var entry = self.lexiconStems.get(base[0]);
      if (entry !== undefined) {
        self.lexiconTargets[entry].forEach(function (t) { add(t, f(f(base[1]) * f(c.lexicon_weight))); });
      }
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
  /**
   * The topic `query` is about, if search is sure enough (src/search/topics.rs, route):
   * {topic, score, runner_up, intents, report, shows_card} or null. `ranked` is the plain
   * ranking of clauses, schools spread, whose first clauses vote.
   */
  Engine.prototype.route = function (query, plan, ranked) {
    var routing = this.config.routing;
    var scores = this.topics.map(function (topic) {
      var score = f(0);
      plan.groups.forEach(function (group) {
        var best = f(0);
        group.terms.forEach(function (e) {
          var w = topic.terms.get(e.term);
          if (w !== undefined) best = Math.max(best, f(f(e.weight) * f(w)));
        });
        score = f(score + best);
      });
      return score;
    });
    var voters = ranked.slice(0, routing.vote_depth);
    if (voters.length && voters[0].score > 0) {
      var top = voters[0].score;
      var topics = this.topics;
      voters.forEach(function (hit) {
        var vote = f(f(routing.vote_weight) * f(hit.score / top));
        topics.forEach(function (topic, t) {
          if (topic.docSet.has(hit.doc)) scores[t] = f(scores[t] + vote);
        });
      });
    }
    var words = tokens(this.bounded(query)).map(function (x) { return x.word; });
    var intents = [];
    var report = false;
    this.intents.forEach(function (intent) {
      var found = intent.phrases.some(function (phrase) {
        for (var i = 0; i + phrase.length <= words.length; i++) {
          var all = true;
          for (var k = 0; k < phrase.length; k++) if (words[i + k] !== phrase[k]) { all = false; break; }
          if (all) return true;
        }
        return false;
      });
      if (found) {
        if (intent.topic >= 0) scores[intent.topic] = f(scores[intent.topic] + f(routing.intent_score));
        intents.push(intent.name);
        report = report || intent.report;
      }
    });
    var best = -1;
    scores.forEach(function (score, t) { if (score > 0 && (best < 0 || score > scores[best])) best = t; });
    if (best < 0) return null;
    var score = scores[best];
    var runnerUp = f(0);
    scores.forEach(function (s, t) { if (t !== best) runnerUp = Math.max(runnerUp, s); });
    if (score < f(routing.min_score) || score < f(f(routing.margin) * runnerUp)) return null;
    var showsCard = score >= f(routing.card_score) && score >= f(f(routing.card_margin) * runnerUp);
    return { topic: best, score: score, runner_up: runnerUp, intents: intents, report: report, shows_card: showsCard };
  };

  /**
   * Searches. Options: {school: slug, limit: n}. Returns [{doc, score, terms}] best first
   * (ties in index order), the home school's results first when the site names one.
   * `this.lastRoute` keeps where the query was routed (index.rs, search).
   */
  Engine.prototype.search = function (query, options) {
    options = options || {};
    var self = this;
    var plan = this.plan(query);
    this.lastPlan = plan;
    var scores = new Map(); // doc -> total
    var matched = new Map(); // doc -> Set of terms
    plan.groups.forEach(function (group) {
      var best = new Map();
      group.terms.forEach(function (e) {
        // A quoted word the index does not have matches nothing.
        var list = self.postings.get(e.term);
        if (!list) return;
        list.forEach(function (p) {
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
      hits.push({ doc: d, score: score, terms: matched.get(d) || new Set() });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    var routed = this.route(query, plan, this.spread(hits));
    this.lastRoute = routed;
    // A routed topic's clauses join the ranking (topics.rs, step 5); not for quoted phrases.
    if (routed && !plan.phrases.length) {
      var topic = this.topics[routed.topic];
      var top = hits.reduce(function (m, h) { return Math.max(m, h.score); }, 0);
      if (!(top > 0)) top = 1;
      var routing = this.config.routing;
      var byDoc = new Map(hits.map(function (h) { return [h.doc, h]; }));
      topic.docs.forEach(function (d) {
        if (schoolIndex >= 0 && self.docs[d].school !== schoolIndex) return;
        var boost = f(f(topic.stanceDocs.has(d) ? routing.stance_boost : routing.topic_boost) * top);
        var hit = byDoc.get(d);
        if (hit) hit.score = f(hit.score + boost);
        else {
          hit = { doc: d, score: f(f(0) + boost), terms: matched.get(d) || new Set() };
          byDoc.set(d, hit);
          hits.push(hit);
        }
        hit.topic = true;
      });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    }
    hits = this.spread(hits);
    var home = this.config.home;
    if (home) {
      var homeIndex = this.schools.findIndex(function (s) { return s.slug === home; });
      var first = hits.filter(function (h) { return self.docs[h.doc].school === homeIndex; });
      hits = first.concat(hits.filter(function (h) { return self.docs[h.doc].school !== homeIndex; }));
    }
    // The long tail says nothing: leave off what scores far below the best.
    var bestScore = hits.reduce(function (m, h) { return Math.max(m, h.score); }, 0);
    var floor = f(f(this.config.min_relative_score) * f(bestScore));
    hits = hits.filter(function (h) { return h.score >= floor; });
    if (options.limit) hits = hits.slice(0, options.limit);
    return hits;
  };

  /**
   * `hits` (best first) in a new order in which one school's many matches do not push the
   * others' best answers off the first page (index.rs, spread_schools): each further hit of a
   * school counts school_decay times less.
   */
  Engine.prototype.spread = function (hits) {
    var self = this;
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
    return ranked.map(function (r) { return r.hit; });
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
