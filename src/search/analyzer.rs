//! The English analyser: how text becomes search terms, at build time and (mirrored in
//! `stemmer.js` and `search.js`) in the browser.
//!
//! Tokens are maximal runs of alphanumeric characters (tantivy's `SimpleTokenizer`), lower-cased,
//! English stop words dropped, and stemmed with Snowball English. Positions count every token,
//! stop words included, so phrase queries see the gaps.

use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
};

/// Name the analyser is registered under in the index.
pub const NAME: &str = "policykb_en";

/// Builds the analyser.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// A term of analysed text with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term: lowercased and stemmed (`friend` for "Friends").
    pub text: String,
    /// Its token position in the text (a removed stop word still takes a position).
    pub position: usize,
}

/// Analyses `text` into terms.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        out.push(Term { text: token.text.clone(), position: token.position });
    }
    out
}

/// Raw lower-cased tokens (no stop-word removal, no stemming), as the query planner sees them.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        // Character by character, as tantivy's LowerCaser (no final-sigma rule).
        .map(|w| w.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// The stem of one lower-cased word, or `None` for a stop word.
pub fn stem(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    terms(analyzer, word).into_iter().next().map(|t| t.text)
}
