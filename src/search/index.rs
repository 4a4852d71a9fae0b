//! The build-time search index: every clause a tantivy document.
//!
//! Clauses whose text is repeated word for word in the same policy (Holy Cross's Appendix 1
//! restates section 6) are one document that names every place it stands, so a result list
//! is never filled twice with the same words.

use super::analyzer;
use super::config::SearchConfig;
use super::query::{Planner, QueryPlan};
use super::topics::{TopicMatch, TopicRouter};
use crate::model::{ClauseRef, Site};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use tantivy::collector::TopDocs;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, MoreLikeThisQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::OwnedValue;
use tantivy::schema::{FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::{DocAddress, Index, IndexReader, Term, doc};

/// One search document: a clause, and the places its text stands in its policy.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Index of the policy in `Site::policies`: the school, for spreading results.
    pub policy: usize,
    /// The clauses (first one first) with exactly this text.
    pub clauses: Vec<ClauseRef>,
    /// Number of terms in the text as BM25 sees it (tantivy's quantised field norm).
    pub length: u32,
}

/// A clause that matched, with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index of the document in [`SearchIndex::docs`].
    pub doc: usize,
    /// Its BM25 score for the query, with each term's weight.
    pub score: f32,
}

/// What to search in.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Only this policy (slug).
    pub policy: Option<String>,
    /// List this policy's results first (the site's own school).
    pub home: Option<String>,
    /// At most this many results; 0 for all of them.
    pub limit: usize,
}

struct Fields {
    text: Field,
    heading: Field,
    policy: Field,
}

/// The writer's memory budget (tantivy's least, 15 MB). A corpus whose postings outgrow it is
/// written as several segments, which the index searches together.
const WRITER_BUDGET: usize = 15_000_000;

/// The fast field holding a tantivy document's number in [`SearchIndex::docs`], which
/// tantivy's own addresses (segment, id within it) do not give once there are several segments.
const NUMBER: &str = "number";

/// The tantivy index of a site's clauses, with what the query planner needs.
pub struct SearchIndex {
    /// The search documents; a [`Hit`]'s `doc` indexes them.
    pub docs: Vec<SearchDoc>,
    /// Every term of the text field with the number of documents containing it.
    pub vocabulary: BTreeMap<String, u64>,
    /// Sum of all documents' term counts (before quantisation), for the BM25 average.
    pub total_terms: u64,
    /// Synonyms, spelling variants, filler words and weights, from `content/search.toml`.
    pub config: SearchConfig,
    /// The taxonomy as topic routing sees it; empty until [`SearchIndex::set_topics`].
    pub router: TopicRouter,
    policy_slugs: Vec<String>,
    reader: IndexReader,
    fields: Fields,
    /// For each segment of the reader's searcher, the number of each of its documents.
    numbers: Vec<Vec<usize>>,
}

impl SearchIndex {
    /// Indexes every clause of `site`.
    pub fn build(site: &Site, config: SearchConfig) -> Result<SearchIndex> {
        SearchIndex::build_in_segments(site, config, usize::MAX)
    }

    /// Indexes every clause of `site`, closing a segment after every `docs_per_segment`
    /// documents (and whenever the writer's memory budget fills). Rankings do not depend on
    /// the segments: BM25 statistics are the whole index's. [`SearchIndex::build`] writes as
    /// few segments as the budget allows; a small `docs_per_segment` makes many segments from
    /// a small site, as a big one would.
    pub fn build_in_segments(
        site: &Site,
        config: SearchConfig,
        docs_per_segment: usize,
    ) -> Result<SearchIndex> {
        let mut schema = Schema::builder();
        let analysed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            text: schema.add_text_field("text", analysed.clone()),
            heading: schema.add_text_field("heading", analysed),
            policy: schema.add_text_field("policy", STRING),
        };
        let number = schema.add_u64_field(NUMBER, FAST);
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(analyzer::NAME, analyzer::analyzer());
        let docs = group_repeats(site);
        // One thread, and no merging: the segments are exactly what was written, with no
        // background work to wait for.
        let mut writer =
            index.writer_with_num_threads(1, WRITER_BUDGET).context("cannot create the search index")?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for (n, doc) in docs.iter().enumerate() {
            let (policy, clause) =
                site.resolve(&doc.clauses[0]).context("a search document names no clause")?;
            writer.add_document(doc!(
                fields.text => searched_text(policy, clause),
                fields.heading => policy.heading_path(clause.section).join(" › "),
                fields.policy => policy.slug.as_str(),
                number => n as u64,
            ))?;
            if (n + 1) % docs_per_segment.max(1) == 0 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let mut vocabulary = BTreeMap::new();
        let mut total_terms = 0;
        let mut docs = docs;
        let mut numbers = Vec::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64(NUMBER)?;
            let segment_numbers = (0..segment.max_doc())
                .map(|id| column.first(id).map(|n| n as usize).filter(|&n| n < docs.len()))
                .collect::<Option<Vec<usize>>>()
                .context("a search index document has no clause number")?;
            let inverted = segment.inverted_index(fields.text)?;
            total_terms += inverted.total_num_tokens();
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let term = String::from_utf8_lossy(stream.key()).into_owned();
                *vocabulary.entry(term).or_insert(0) += u64::from(stream.value().doc_freq);
            }
            let norms = segment.get_fieldnorms_reader(fields.text)?;
            for (id, &n) in segment_numbers.iter().enumerate() {
                docs[n].length = norms.fieldnorm(id as u32);
            }
            numbers.push(segment_numbers);
        }
        Ok(SearchIndex {
            docs,
            vocabulary,
            total_terms,
            config,
            router: TopicRouter::default(),
            policy_slugs: site.policies.iter().map(|p| p.slug.clone()).collect(),
            reader,
            fields,
            numbers,
        })
    }

    /// How many segments the index has.
    pub fn segments(&self) -> usize {
        self.numbers.len()
    }

    /// The number in [`SearchIndex::docs`] of the document tantivy calls `address`.
    fn number(&self, address: DocAddress) -> usize {
        self.numbers[address.segment_ord as usize][address.doc_id as usize]
    }

    /// Every document's score for a set of terms (each a word or a phrase), best first.
    pub fn match_terms(&self, terms: &[String]) -> Result<Vec<Hit>> {
        let mut analyzer = analyzer::analyzer();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for text in terms {
            let analysed = analyzer::terms(&mut analyzer, text);
            let first = analysed.first().map_or(0, |t| t.position);
            let mut terms: Vec<(usize, Term)> = analysed
                .iter()
                .map(|t| (t.position - first, Term::from_field_text(self.fields.text, &t.text)))
                .collect();
            let query: Box<dyn Query> = match terms.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(terms.remove(0).1, IndexRecordOption::WithFreqs)),
                _ => Box::new(PhraseQuery::new_with_offset(terms)),
            };
            should.push((Occur::Should, query));
        }
        self.run(Box::new(BooleanQuery::new(should)))
    }

    /// The `limit` documents most like `text`, best first: tantivy's MoreLikeThis over the
    /// analysed text, with the frequency floors lowered for a corpus of hundreds of clauses,
    /// not millions.
    pub fn similar(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            // Every term: MoreLikeThis breaks ties between equally weighted terms in hash order, so
            // cutting the list would make links vary from build to build.
            .with_max_query_terms(10_000)
            .with_min_word_length(3)
            .with_document_fields(vec![(self.fields.text, vec![OwnedValue::Str(text.to_string())])]);
        self.run_limited(Box::new(like), limit)
    }

    /// Runs a query over every document: hits best first, ties in document order.
    fn run(&self, query: Box<dyn Query>) -> Result<Vec<Hit>> {
        self.run_limited(query, self.docs.len())
    }

    /// The best `limit` hits of a query, best first, ties in document order.
    fn run_limited(&self, query: Box<dyn Query>, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let found = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits: Vec<Hit> =
            found.into_iter().map(|(score, address)| Hit { doc: self.number(address), score }).collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        Ok(hits)
    }

    /// Orders hits so that one school's many matches do not push the other schools' best
    /// answers off the first page: a school's second hit counts `school_decay` times its
    /// score, its third `school_decay`², and so on. Ties keep their order. (`search.js`
    /// does the same, in the same 32-bit arithmetic.)
    fn spread_schools(&self, hits: &mut Vec<Hit>) {
        let decay = self.config.school_decay;
        let mut seen: std::collections::HashMap<usize, u32> = std::collections::HashMap::new();
        let mut ranked: Vec<(f32, Hit)> = hits
            .drain(..)
            .map(|hit| {
                let earlier = seen.entry(self.docs[hit.doc].policy).or_default();
                let mut factor = 1.0f32;
                for _ in 0..*earlier {
                    factor *= decay;
                }
                *earlier += 1;
                (hit.score * factor, hit)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        hits.extend(ranked.into_iter().map(|(_, hit)| hit));
    }

    /// Plans a query against this index.
    pub fn plan(&self, query: &str) -> QueryPlan {
        Planner::new(&self.config, &self.vocabulary).plan(query)
    }

    /// Each clause's search document (a document holds every clause with its text).
    pub fn doc_of(&self) -> BTreeMap<&ClauseRef, usize> {
        self.docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| doc.clauses.iter().map(move |clause| (clause, d)))
            .collect()
    }

    /// Gives topic routing the site's topics, once topics and stances are analysed.
    pub fn set_topics(&mut self, site: &Site) {
        let doc_of = self.doc_of();
        self.router = TopicRouter::new(site, &self.config, &doc_of);
    }

    /// The topic `query` is about, if search is sure enough (see `search::topics`).
    pub fn route(&self, query: &str, options: &SearchOptions) -> Result<Option<TopicMatch>> {
        let plan = self.plan(query);
        let hits = if plan.groups.is_empty() { Vec::new() } else { self.match_plan(&plan, options)? };
        Ok(self.route_planned(query, &plan, &hits))
    }

    /// Routes a planned query, given the clauses its plan matched.
    fn route_planned(&self, query: &str, plan: &QueryPlan, hits: &[Hit]) -> Option<TopicMatch> {
        let mut ranked = hits.to_vec();
        self.spread_schools(&mut ranked);
        let ranked: Vec<(usize, f32)> = ranked.iter().map(|h| (h.doc, h.score)).collect();
        self.router.route(&self.config, query, plan, &ranked)
    }

    /// Searches, best first; ties in document order.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Vec<Hit>> {
        let plan = self.plan(query);
        let mut hits = if plan.groups.is_empty() { Vec::new() } else { self.match_plan(&plan, options)? };
        let routed = self.route_planned(query, &plan, &hits);
        // A quoted phrase asks for those words: topic clauses without them do not join.
        if let Some(routed) = routed.filter(|_| plan.phrases.is_empty()) {
            self.join_topic(&mut hits, &routed, options);
        }
        self.spread_schools(&mut hits);
        if let Some(home) = options.home.as_deref() {
            // Stable: the home school's results first, each part still best first.
            hits.sort_by_key(|h| self.policy_slugs[self.docs[h.doc].policy] != home);
        }
        // The long tail says nothing: leave off what scores far below the best.
        let best = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
        hits.retain(|h| h.score >= self.config.min_relative_score * best);
        if options.limit > 0 {
            hits.truncate(options.limit);
        }
        Ok(hits)
    }

    /// A routed topic's clauses join the ranking (see `search::topics`, step 5).
    fn join_topic(&self, hits: &mut Vec<Hit>, routed: &TopicMatch, options: &SearchOptions) {
        let topic = &self.router.topics[routed.topic];
        let best = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
        let best = if best > 0.0 { best } else { 1.0 };
        let routing = &self.config.routing;
        let mut score_of: BTreeMap<usize, f32> = hits.iter().map(|h| (h.doc, h.score)).collect();
        for &d in &topic.docs {
            let boost =
                if topic.stance_docs.contains(&d) { routing.stance_boost } else { routing.topic_boost };
            *score_of.entry(d).or_insert(0.0) += boost * best;
        }
        let wanted =
            |d: usize| options.policy.as_ref().is_none_or(|p| *p == self.policy_slugs[self.docs[d].policy]);
        *hits =
            score_of.into_iter().filter(|&(d, _)| wanted(d)).map(|(doc, score)| Hit { doc, score }).collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    }

    /// Every document the plan's groups match, with the phrase and school filters applied:
    /// tantivy's BM25, best first, ties in document order.
    fn match_plan(&self, plan: &QueryPlan, options: &SearchOptions) -> Result<Vec<Hit>> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for group in &plan.groups {
            let disjuncts: Vec<Box<dyn Query>> = group
                .terms
                .iter()
                .map(|e| {
                    let term = TermQuery::new(
                        Term::from_field_text(self.fields.text, &e.term),
                        IndexRecordOption::WithFreqs,
                    );
                    Box::new(BoostQuery::new(Box::new(term), e.weight)) as Box<dyn Query>
                })
                .collect();
            should.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(disjuncts))));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        // Filters score nothing: a boost of zero keeps them out of the ranking.
        let filter =
            |query: Box<dyn Query>| (Occur::Must, Box::new(BoostQuery::new(query, 0.0)) as Box<dyn Query>);
        for phrase in &plan.phrases {
            let terms = phrase
                .iter()
                .map(|(offset, t)| (*offset, Term::from_field_text(self.fields.text, t)))
                .collect();
            clauses.push(filter(Box::new(PhraseQuery::new_with_offset(terms))));
        }
        if let Some(policy) = &options.policy {
            let term =
                TermQuery::new(Term::from_field_text(self.fields.policy, policy), IndexRecordOption::Basic);
            clauses.push(filter(Box::new(term)));
        }
        self.run(Box::new(BooleanQuery::new(clauses)))
    }
}

/// One document per distinct clause text in each policy, in document order.
fn group_repeats(site: &Site) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = Vec::new();
    for (p, policy) in site.policies.iter().enumerate() {
        let mut by_text: BTreeMap<&str, usize> = BTreeMap::new();
        for clause in &policy.clauses {
            if clause.text.trim().is_empty() {
                continue;
            }
            let place = policy.clause_ref(clause);
            match by_text.get(clause.text.as_str()) {
                Some(&d) => docs[d].clauses.push(place),
                None => {
                    by_text.insert(&clause.text, docs.len());
                    docs.push(SearchDoc { policy: p, clauses: vec![place], length: 0 });
                }
            }
        }
    }
    docs
}

/// What a clause is found by: its text, after the lead-in it completes and its section
/// heading, so "Staff should not:" and "12. Sexting" count for the clauses under them.
/// `search.js` builds the same string (`searchedText`).
pub fn searched_text(policy: &crate::model::Policy, clause: &crate::model::Clause) -> String {
    let mut out = String::new();
    if let Some(heading) = policy.heading_path(clause.section).last() {
        out.push_str(heading);
        out.push('\n');
    }
    if let Some(parent) = clause.parent {
        out.push_str(&policy.clauses[parent].text);
        out.push('\n');
    }
    out.push_str(&clause.text);
    out
}
