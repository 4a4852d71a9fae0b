/* policykb: Snowball "english" stemmer, hand-ported to plain JavaScript.
 *
 * Source: english_stemmer.rs from the Rust crate frostem 1.20260821.8 (generated
 * by Snowball 3.1.1 from upstream snowballstem/snowball algorithms/english.sbl,
 * commit 81dd074), which is what tantivy 0.27's Stemmer(Language::English) runs.
 * It is the current Snowball English algorithm, NOT classic Porter2: it has extra
 * exceptions (arsen-, commun-, past-, ...; "-ing" after even/cann/inn/...; ogist).
 * Same among tables, same routines, same order as the generated Rust. The only
 * deliberate differences are runtime details: the word is an array of Unicode
 * code points (Rust counts chars the same way; its byte offsets only matter for
 * ASCII, which every table and grouping here is), among tables are looked up by
 * longest match (what Snowball's binary search computes), and the compiler's
 * "quick reject" pre-checks are dropped (they never change the result).
 * Parity with tantivy is checked by tests/stemmer_parity.rs.
 *
 * stem(word) expects a word that is already lowercased (as tantivy's LowerCaser
 * leaves it) and returns its stem.
 *
 * Copyright (c) 2001, Dr Martin Porter
 * Copyright (c) 2004,2005, Richard Boulton
 * Copyright (c) 2013, Yoshiki Shibukawa
 * Copyright (c) 2006-2025, Olly Betts
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 *
 *   1. Redistributions of source code must retain the above copyright notice,
 *      this list of conditions and the following disclaimer.
 *   2. Redistributions in binary form must reproduce the above copyright notice,
 *      this list of conditions and the following disclaimer in the documentation
 *      and/or other materials provided with the distribution.
 *   3. Neither the name of the Snowball project nor the names of its contributors
 *      may be used to endorse or promote products derived from this software
 *      without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR CONTRIBUTORS BE LIABLE FOR
 * ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
 * (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
 * LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON
 * ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
 * (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
 * SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
(function () {
  'use strict';

  // Among table: string -> result (-1 = matched, no action), plus the longest key.
  function among(o) {
    var m = new Map(), n = 0;
    for (var k in o) { m.set(k, o[k]); if (k.length > n) n = k.length; }
    m.n = n;
    return m;
  }
  var A0 = among({ arsen: -1, commun: -1, emerg: -1, gener: -1, inter: -1, later: -1,
    organ: -1, past: -1, univers: -1 });
  var A1 = among({ "'": 1, "'s'": 1, "'s": 1 });
  var A2 = among({ ied: 2, s: 3, ies: 2, sses: 1, ss: -1, us: -1 });
  var A3 = among({ succ: 1, proc: 1, exc: 1 });
  var A4 = among({ even: 2, cann: 2, inn: 2, earr: 2, herr: 2, out: 2, y: 1 });
  var A5 = among({ '': -1, ed: 2, eed: 1, ing: 3, edly: 2, eedly: 1, ingly: 2 });
  var A6 = among({ '': 3, bb: 2, dd: 2, ff: 2, gg: 2, bl: 1, mm: 2, nn: 2, pp: 2, rr: 2,
    at: 1, tt: 2, iz: 1 });
  var A7 = among({ anci: 3, enci: 2, ogi: 14, li: 16, bli: 12, abli: 4, alli: 8, fulli: 9,
    lessli: 15, ousli: 10, entli: 5, aliti: 8, biliti: 12, iviti: 11, tional: 1, ational: 7,
    alism: 8, ation: 7, ization: 6, izer: 6, ator: 7, iveness: 11, fulness: 9, ousness: 10,
    ogist: 13 });
  var A7R = [, 'tion', 'ence', 'ance', 'able', 'ent', 'ize', 'ate', 'al', 'ful', 'ous', 'ive',
    'ble', 'og'];
  var A8 = among({ icate: 4, ative: 6, alize: 3, iciti: 4, ical: 4, tional: 1, ational: 2,
    ful: 5, ness: 5 });
  var A8R = [, 'tion', 'ate', 'al', 'ic'];
  var A9 = among({ ic: 1, ance: 1, ence: 1, able: 1, ible: 1, ate: 1, ive: 1, ize: 1, iti: 1,
    al: 1, ism: 1, ion: 2, er: 1, ous: 1, ant: 1, ent: 1, ment: 1, ement: 1 });
  var A10 = among({ e: 1, l: 2 });
  var A11 = among({ andes: -1, atlas: -1, bias: -1, cosmos: -1, early: 6, gently: 4,
    howe: -1, idly: 3, news: -1, only: 7, singly: 8, skies: 2, skis: 1, sky: -1, ugly: 5 });
  var A11R = [, 'ski', 'sky', 'idl', 'gentl', 'ugli', 'earli', 'onli', 'singl'];

  // Groupings (all ASCII).
  var V = 'aeiouy', V_WXY = 'aeiouywxY', AEO = 'aeo', VALID_LI = 'cdeghkmnrt';

  // SnowballEnv: s = code points, c = cursor, l = limit, lb = limit_backward.
  var s, c, l, lb, bra, ket;

  function isIn(g, ch) { return g.indexOf(ch) >= 0; } // ch is one code point, never ''
  function inG(g) { if (c < l && isIn(g, s[c])) { c++; return true; } return false; }
  function inGB(g) { if (c > lb && isIn(g, s[c - 1])) { c--; return true; } return false; }
  function outGB(g) { if (c > lb && !isIn(g, s[c - 1])) { c--; return true; } return false; }
  // go_out_grouping: skip non-members, stop before a member.
  function goOut(g) { for (; c < l; c++) if (isIn(g, s[c])) return true; return false; }
  // go_in_grouping: skip members, stop before a non-member.
  function goIn(g) { for (; c < l; c++) if (!isIn(g, s[c])) return true; return false; }
  // go_out_grouping_b: skip non-members backwards, stop after a member.
  function goOutB(g) { for (; c > lb; c--) if (isIn(g, s[c - 1])) return true; return false; }
  function eqS(t) {
    if (c + t.length > l || s.slice(c, c + t.length).join('') !== t) return false;
    c += t.length; return true;
  }
  function eqSB(t) {
    if (c - lb < t.length || s.slice(c - t.length, c).join('') !== t) return false;
    c -= t.length; return true;
  }
  function hop(n) { if (c + n > l) return false; c += n; return true; }
  function hopBack(n) { if (c - n < lb) return false; c -= n; return true; }
  function sliceFrom(t) { // replace s[bra..ket] with t (ASCII)
    var adj = t.length - (ket - bra);
    s.splice.apply(s, [bra, ket - bra].concat(t.split('')));
    l += adj;
    if (c >= ket) c += adj; else if (c > bra) c = bra;
    ket = bra + t.length;
  }
  function sliceDel() { sliceFrom(''); }
  // find_among / find_among_b: longest entry matching at the cursor; 0 if none.
  function findAmong(a) {
    for (var n = Math.min(a.n, l - c); n >= 0; n--) {
      var v = a.get(s.slice(c, c + n).join(''));
      if (v !== undefined) { c += n; return v; }
    }
    return 0;
  }
  function findAmongB(a) {
    for (var n = Math.min(a.n, c - lb); n >= 0; n--) {
      var v = a.get(s.slice(c - n, c).join(''));
      if (v !== undefined) { c -= n; return v; }
    }
    return 0;
  }

  function shortv() {
    var v1 = l - c;
    if (outGB(V_WXY) && inGB(V) && outGB(V)) return true;
    c = l - v1;
    if (outGB(V) && inGB(V) && c <= lb) return true;
    c = l - v1;
    return eqSB('past');
  }

  function run() {
    var m, v, yFound = false, p1, p2;

    // exception1: whole-word exceptions.
    bra = c;
    m = findAmong(A11);
    if (m && c >= l) {
      ket = c;
      if (m > 0) sliceFrom(A11R[m]);
      return;
    }
    c = 0;
    if (!hop(3)) return; // words of fewer than 3 characters are left alone
    c = 0;

    // prelude
    bra = c;
    if (eqS("'")) { ket = c; sliceDel(); }
    c = 0;
    bra = c;
    if (eqS('y')) { ket = c; sliceFrom('Y'); yFound = true; }
    c = 0;
    for (;;) { // repeat ( goto ( v ['y'] ) <- 'Y' )
      var v5 = c, found = false;
      for (;;) {
        var v6 = c;
        if (inG(V)) {
          bra = c;
          if (eqS('y')) { ket = c; c = v6; found = true; break; }
        }
        c = v6;
        if (c >= l) break;
        c++;
      }
      if (!found) { c = v5; break; }
      sliceFrom('Y'); yFound = true;
    }
    c = 0;

    // mark_regions
    p1 = l; p2 = l;
    mark: {
      if (!findAmong(A0)) {
        c = 0;
        if (!goOut(V)) break mark;
        c++;
        if (!goIn(V)) break mark;
        c++;
      }
      p1 = c;
      if (!goOut(V)) break mark;
      c++;
      if (!goIn(V)) break mark;
      c++;
      p2 = c;
    }
    c = 0;

    // Backward mode. Every "c = l" below is the generated "cursor = limit - v" with v == 0.
    lb = c; c = l;

    // Step_1a
    s1a: {
      ket = c;
      if (findAmongB(A1)) { bra = c; sliceDel(); } else c = l;
      ket = c;
      m = findAmongB(A2);
      if (!m) break s1a;
      bra = c;
      switch (m) {
        case 1: sliceFrom('ss'); break;
        case 2:
          v = l - c;
          if (hopBack(2)) sliceFrom('i'); else { c = l - v; sliceFrom('ie'); }
          break;
        case 3:
          if (c <= lb) break s1a;
          c--;
          if (!goOutB(V)) break s1a;
          c--;
          sliceDel();
          break;
      }
    }
    c = l;

    // Step_1b
    s1b: {
      ket = c;
      m = findAmongB(A5);
      bra = c;
      var v13 = l - c;
      del: {
        switch (m) {
          case 1: // eed, eedly
            v = l - c;
            if (p1 <= c) {
              var v15 = l - c;
              if (!(findAmongB(A3) && c <= lb)) { c = l - v15; sliceFrom('ee'); }
            }
            c = l - v;
            break s1b;
          case 2: // ed, edly, ingly
            break del;
          case 3: // ing
            m = findAmongB(A4);
            if (!m) break del;
            if (m === 1) {
              v = l - c;
              if (!outGB(V)) break del;
              if (c > lb) break del;
              c = l - v;
              bra = c;
              sliceFrom('ie');
            } else if (c > lb) break del;
            break s1b;
          default:
            break s1b;
        }
      }
      c = l - v13;
      v = l - c;
      if (!goOutB(V)) break s1b;
      c--;
      c = l - v;
      sliceDel();
      ket = c; bra = c;
      var v18 = l - c;
      m = findAmongB(A6);
      switch (m) {
        case 1:
          sliceFrom('e');
          break s1b;
        case 2:
          v = l - c;
          if (inGB(AEO) && c <= lb) break s1b;
          c = l - v;
          break;
        case 3:
          if (c !== p1) break s1b;
          v = l - c;
          if (!shortv()) break s1b;
          c = l - v;
          sliceFrom('e');
          break s1b;
      }
      c = l - v18;
      ket = c;
      if (c <= lb) break s1b;
      c--;
      bra = c;
      sliceDel();
    }
    c = l;

    // Step_1c
    s1c: {
      ket = c;
      if (!eqSB('y') && !eqSB('Y')) break s1c;
      bra = c;
      if (!outGB(V)) break s1c;
      if (c <= lb) break s1c;
      sliceFrom('i');
    }
    c = l;

    // Step_2
    s2: {
      ket = c;
      m = findAmongB(A7);
      if (!m) break s2;
      bra = c;
      if (p1 > c) break s2;
      if (m <= 13) sliceFrom(A7R[m]);
      else if (m === 14) { if (!eqSB('l')) break s2; sliceFrom('og'); }
      else if (m === 15) sliceFrom('less');
      else { if (!inGB(VALID_LI)) break s2; sliceDel(); }
    }
    c = l;

    // Step_3
    s3: {
      ket = c;
      m = findAmongB(A8);
      if (!m) break s3;
      bra = c;
      if (p1 > c) break s3;
      if (m <= 4) sliceFrom(A8R[m]);
      else if (m === 5) sliceDel();
      else { if (p2 > c) break s3; sliceDel(); }
    }
    c = l;

    // Step_4
    s4: {
      ket = c;
      m = findAmongB(A9);
      if (!m) break s4;
      bra = c;
      if (p2 > c) break s4;
      if (m === 2 && !eqSB('s') && !eqSB('t')) break s4;
      sliceDel();
    }
    c = l;

    // Step_5
    s5: {
      ket = c;
      m = findAmongB(A10);
      if (!m) break s5;
      bra = c;
      if (m === 1) {
        if (p2 > c) {
          if (p1 > c) break s5;
          v = l - c;
          if (shortv()) break s5;
          c = l - v;
        }
        sliceDel();
      } else {
        if (p2 > c) break s5;
        if (!eqSB('l')) break s5;
        sliceDel();
      }
    }
    c = lb;

    // postlude: repeat ( goto ( ['Y'] ) <- 'y' )
    if (yFound) for (var i = c; i < l; i++) if (s[i] === 'Y') s[i] = 'y';
  }

  function stem(word) {
    s = Array.from(word);
    c = 0; l = s.length; lb = 0; bra = 0; ket = 0;
    run();
    return s.join('');
  }

  globalThis.PolicyKB = globalThis.PolicyKB || {};
  globalThis.PolicyKB.stem = stem;
  if (typeof module === 'object' && module.exports) module.exports = { stem: stem };
})();
