/* policykb search box and search page.
 *
 * Loaded on every page (deferred). The header form works without JavaScript (it opens
 * search.html); with JavaScript, results appear as the person types. The engine and index
 * load on first use, so pages that are only read pay nothing for search.
 *
 * Keyboard: Down from the box moves into the results, Up/Down move between them, Enter follows
 * a result, Escape closes the list and returns to the box.
 */
(function () {
  'use strict';
  var PolicyKB = (globalThis.PolicyKB = globalThis.PolicyKB || {});
  var script = document.currentScript;
  var assets = script.src.replace(/[^/]*$/, '');
  var root = assets.replace(/assets\/$/, '');
  var engine = null;
  var loading = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = assets + src;
      // Fetched in parallel, run in the order added.
      s.async = false;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(s);
    });
  }

  /** Loads the analyser, engine and index once; resolves to the engine. */
  function ready() {
    if (!loading) {
      loading = Promise.all([load('stemmer.js'), load('search.js'), load('search-index.js')])
        .then(function () {
          var started = performance.now();
          // Postings are built in short slices between frames: no long task.
          return PolicyKB.Engine.create(PolicyKB.searchIndex).then(function (built) {
            engine = built;
            PolicyKB.engine = engine;
            PolicyKB.indexMs = performance.now() - started;
            return engine;
          });
        });
    }
    return loading;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  /** One result: a link to the clause with school, clause, heading and highlighted snippet. */
  function resultItem(hit, width, withAlso) {
    var r = engine.describe(hit);
    var snippet = el('span', { class: 'result-snippet' });
    engine.snippet(r.text, hit.terms, width).forEach(function (piece) {
      snippet.appendChild(piece.mark ? el('mark', { text: piece.text }) : document.createTextNode(piece.text));
    });
    var link = el('a', { class: 'result-link', href: root + r.url }, [
      el('span', { class: 'result-school', text: r.short }),
      el('span', { class: 'result-clause', text: r.label }),
      el('span', { class: 'result-heading', text: r.heading }),
      r.lead ? el('span', { class: 'result-lead', text: r.lead.length > 140 ? r.lead.slice(0, 140) + ' …' : r.lead }) : null,
      snippet,
    ]);
    var item = el('li', { class: 'result', 'data-school': r.policy }, [link]);
    if (withAlso && r.related.length) {
      var compare = el('p', { class: 'result-related', text: 'Compare: ' });
      r.related.forEach(function (other, i) {
        if (i) compare.appendChild(document.createTextNode(' · '));
        compare.appendChild(el('a', { href: root + other.url, text: other.short + ' ' + other.label }));
      });
      item.appendChild(compare);
    }
    if (withAlso && r.also.length) {
      var also = el('p', { class: 'result-also', text: 'The same words also stand at ' });
      r.also.forEach(function (place, i) {
        if (i) also.appendChild(document.createTextNode(', '));
        also.appendChild(el('a', { href: root + place.url, text: place.label }));
      });
      item.appendChild(also);
    } else if (r.also.length) {
      link.appendChild(el('span', { class: 'result-also', text: 'also at ' + r.also.map(function (p) { return p.label; }).join(', ') }));
    }
    return item;
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  /** A stance badge as on the compare pages: shape, word and colour. */
  function stanceBadge(school) {
    return el('span', { class: 'stance stance-' + school.stance }, [
      el('span', { class: 'stance-shape', 'aria-hidden': 'true' }),
      document.createTextNode(school.stance_label),
    ]);
  }

  /**
   * The answer card for the query's topic, or null when search is not sure enough: the topic's
   * question, each school's stance with the clause it rests on, the compare page and (for
   * "who do I tell" questions) the reporting route in brief. `compact` for the header panel.
   */
  function answerCard(routed, compact) {
    if (!routed || !routed.shows_card) return null;
    var card = engine.topics[routed.topic].card;
    var heading = el(compact ? 'p' : 'h2', { class: 'answer-title' }, [
      el('a', { href: root + card.url, text: card.title }),
    ]);
    var schools = el('ul', { class: 'answer-schools' }, card.schools.map(function (school) {
      return el('li', { class: 'answer-school', 'data-school': school.policy }, [
        el('span', { class: 'answer-school-name', text: school.school }),
        stanceBadge(school),
        school.url
          ? el('a', { class: 'answer-clause', href: root + school.url, text: school.label })
          : el('span', { class: 'answer-clause answer-none', text: 'no clause' }),
      ]);
    }));
    var children = [heading];
    if (!compact) children.push(el('p', { class: 'answer-question', text: card.question }));
    children.push(schools);
    if (routed.report && card.route) {
      var route = card.route;
      var brief = el('div', { class: 'answer-route' }, [
        el('p', {}, [document.createTextNode('Who do I tell? '), el('a', { href: root + route.url, text: route.title })]),
      ]);
      if (!compact) {
        brief.appendChild(el('ul', {}, route.first_steps.map(function (step) {
          return el('li', {}, [el('span', { class: 'answer-school-name', text: step.school }), document.createTextNode(step.step)]);
        })));
      }
      children.push(brief);
    }
    children.push(el('p', { class: 'answer-compare' }, [
      el('a', { href: root + card.url, text: compact ? 'Compare all schools' : 'Compare the schools on “' + card.title + '”' }),
    ]));
    return el('section', { class: 'answer-card' + (compact ? ' answer-card-compact' : ''), 'aria-label': 'Answer: ' + card.title }, children);
  }

  /** "N clauses from M schools", and what of the question was left unread. */
  function summary(hits) {
    var text = hits.length
      ? plural(hits.length, 'clause') + ' from ' + plural(schoolsIn(hits), 'school') + '.'
      : 'No clauses match.';
    if (engine.lastPlan && engine.lastPlan.truncated) {
      text += ' Only the first ' + engine.config.max_query_chars + ' characters and ' +
        engine.config.max_query_words + ' words of the question were read.';
    }
    return text;
  }

  function schoolsIn(hits) {
    var seen = new Set();
    hits.forEach(function (h) { seen.add(engine.docs[h.doc].school); });
    return seen.size;
  }

  /** Arrow keys move between the links of `list`; Escape goes back to `input`. */
  function keyboard(input, list, close) {
    function links() { return Array.from(list.querySelectorAll('a.result-link')); }
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && links().length) {
        e.preventDefault();
        links()[0].focus();
      } else if (e.key === 'Escape') {
        close();
      }
    });
    list.addEventListener('keydown', function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && i >= 0) {
        e.preventDefault();
        (all[i + 1] || all[i]).focus();
      } else if (e.key === 'ArrowUp' && i >= 0) {
        e.preventDefault();
        (i === 0 ? input : all[i - 1]).focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        close();
        input.focus();
      }
    });
  }

  // ---- The box in the header: instant results --------------------------------------------
  function instant(form) {
    var input = form.querySelector('input[name="q"]');
    var status = form.querySelector('[role="status"]');
    var panel = el('div', { class: 'instant-results', hidden: '' });
    var answer = el('div', { class: 'answer' });
    var list = el('ol', { class: 'results', 'aria-label': 'Search results' });
    var more = el('a', { class: 'instant-more' });
    panel.appendChild(answer);
    panel.appendChild(list);
    panel.appendChild(more);
    form.appendChild(panel);
    function close() { panel.hidden = true; }
    function update() {
      var q = input.value;
      if (!q.trim()) {
        close();
        status.textContent = '';
        return;
      }
      ready().then(function () {
        if (input.value !== q) return;
        var hits = engine.search(q, {});
        var card = answerCard(engine.lastRoute, true);
        answer.replaceChildren.apply(answer, card ? [card] : []);
        list.replaceChildren.apply(list, hits.slice(0, 8).map(function (h) { return resultItem(h, 110, false); }));
        more.href = root + 'search.html?q=' + encodeURIComponent(q);
        more.textContent = hits.length ? 'See all ' + plural(hits.length, 'clause') : 'No clauses match: try other words';
        status.textContent = summary(hits) + (card ? ' Answer: ' + engine.topics[engine.lastRoute.topic].card.title + '.' : '') +
          (hits.length ? ' Press Down to go to them.' : '');
        panel.hidden = false;
      }, function () { status.textContent = 'Search could not load.'; });
    }
    input.addEventListener('focus', ready);
    input.addEventListener('input', update);
    keyboard(input, list, close);
    document.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
  }

  // ---- The search page ---------------------------------------------------------------------
  function page(container) {
    var form = container.querySelector('form');
    var input = form.querySelector('input[name="q"]');
    var select = form.querySelector('select[name="school"]');
    var status = container.querySelector('[role="status"]');
    var answer = container.querySelector('.answer');
    var list = container.querySelector('ol.results');
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    if (params.get('school')) select.value = params.get('school');
    function update() {
      var q = input.value;
      var school = select.value;
      var url = new URL(location.href);
      url.search = '';
      if (q) url.searchParams.set('q', q);
      if (school) url.searchParams.set('school', school);
      history.replaceState(null, '', url.protocol === 'file:' ? url.search || location.pathname : url);
      if (!q.trim()) {
        list.replaceChildren();
        answer.replaceChildren();
        status.textContent = 'Type a question, for example “can I friend a parent”.';
        return;
      }
      ready().then(function () {
        if (input.value !== q || select.value !== school) return;
        var started = performance.now();
        var hits = engine.search(q, { school: school });
        PolicyKB.lastQueryMs = performance.now() - started;
        var card = answerCard(engine.lastRoute, false);
        answer.replaceChildren.apply(answer, card ? [card] : []);
        list.replaceChildren.apply(list, hits.map(function (h) { return resultItem(h, 240, true); }));
        status.textContent = hits.length ? summary(hits)
          : 'No clauses match “' + engine.bounded(q) + '”. Try fewer or other words.' + summary(hits).slice('No clauses match.'.length);
        // For the tests: which query the page last answered.
        PolicyKB.lastQuery = q;
      }, function () { status.textContent = 'Search could not load.'; });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
    input.addEventListener('input', update);
    select.addEventListener('change', update);
    keyboard(input, list, function () {});
    update();
  }

  document.querySelectorAll('form.site-search').forEach(instant);
  var searchPage = document.getElementById('pkb-search-page');
  if (searchPage) page(searchPage);
})();
