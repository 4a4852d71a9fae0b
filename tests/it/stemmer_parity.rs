//! Parity test: the browser search client stems query words with
//! `themes/default/static/stemmer.js`, a hand port of the Snowball English stemmer. The index
//! is built by tantivy (SimpleTokenizer + LowerCaser + Stemmer(English)). If the two ever
//! disagree on a word, searching for that word silently finds nothing, so every word we can
//! lay hands on is stemmed on both sides and the results must be identical.
//!
//! Needs `node` and `/usr/share/dict/words` (Debian package `wamerican`).

use std::collections::BTreeSet;
use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream};

const DICT: &str = "/usr/share/dict/words";

/// Words that exercise the special cases of the current Snowball English algorithm (and the
/// places where it differs from classic Porter2), plus digits and non-ASCII letters.
#[rustfmt::skip]
const TRICKY: &[&str] = &[
    // exception1 (whole words) and their near misses
    "andes", "atlas", "bias", "cosmos", "early", "gently", "howe", "idly", "news", "only",
    "singly", "skies", "skis", "sky", "ugly", "skyline", "newsletter", "onlys", "earlyish",
    // mark_regions prefixes (arsen, commun, emerg, gener, inter, later, organ, past, univers)
    "arsenal", "arsenic", "communism", "community", "communication", "emergency", "emergence",
    "generously", "general", "generate", "generation", "interest", "internal", "international",
    "later", "lateral", "organ", "organization", "organise", "past", "pasta", "pasted",
    "paste", "pastes", "universal", "university", "universe",
    // step 1a
    "caresses", "ponies", "ties", "cries", "dies", "lies", "tied", "died", "ied", "ies", "gas",
    "this", "gaps", "kiwis", "us", "bus", "census", "ss", "mess", "sses", "is", "yes",
    // step 1b: eed / ed / ing and the -ing exceptions
    "agreed", "feed", "succeed", "succeeded", "proceed", "proceedings", "exceed", "exceedingly",
    "bleed", "embedded", "hoped", "hopped", "hoping", "hopping", "filing", "filling",
    "fluently", "dying", "lying", "tying", "eying", "vying", "hying", "spying", "evening",
    "evenings", "canning", "inning", "innings", "earring", "herring", "outing", "outings",
    "cunning", "sing", "string", "bring", "thing", "ebbing", "adding", "egging", "offing",
    "luxuriating", "conflated", "troubled", "sized", "failing", "filing", "tanned",
    "controlled", "rolling", "feeding", "agreeing", "markedly", "exceedingly", "jokingly",
    // step 1c and y handling
    "happy", "cry", "by", "say", "boy", "boys", "sayings", "yelling", "youth", "ayes", "ay",
    "y", "ye", "yy", "yyy", "yay", "toy", "toying", "enjoying", "playfully", "bayou",
    // steps 2-5
    "hopefully", "carelessly", "fluently", "geology", "geologist", "ecology", "analogist",
    "relational", "conditional", "rational", "valenci", "hesitanci", "digitizer",
    "conformabli", "radicalli", "differentli", "vileli", "analogousli", "vietnamization",
    "predication", "operator", "feudalism", "decisiveness", "hopefulness", "callousness",
    "formaliti", "sensitiviti", "sensibiliti", "triplicate", "formative", "formalize",
    "electriciti", "electrical", "hopeful", "goodness", "revival", "allowance", "inference",
    "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement",
    "adjustment", "dependent", "adoption", "homologou", "communism", "activate", "angulariti",
    "homologous", "effective", "bowdlerize", "probate", "rate", "cease", "controll", "roll",
    "fall", "bell", "necessarily", "dearly", "elderly", "genii", "ogi", "logi", "blessing",
    // apostrophes cannot reach the stemmer through SimpleTokenizer, so none here.
    // digits and other non-letters the tokenizer keeps
    "1990s", "2nd", "3rd", "100", "covid19", "mp3s", "a4", "y2k", "ps2s", "0ed", "7ing",
    // non-ASCII letters: counted as characters (not bytes) by hop/hop_back
    "café", "cafés", "naïve", "naïvely", "résumé", "résumés", "façade", "façades", "über",
    "señor", "señoras", "ångström", "ångströms", "éies", "éied", "ées", "ñying", "çeed",
    "σκύλος", "привет", "日本語", "𝒶ies", "𝒶ied", "𝒶𝒷ies", "x𝒶ing", "𝒶ing", "𝒶𝒷ing",
];

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[test]
fn js_stemmer_matches_tantivy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lower = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build();
    let mut stemming = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build();

    // 1. Word list: lowercased single tokens, as the stemmer sees them.
    let mut words = BTreeSet::new();

    let mut md_files = 0;
    for entry in fs::read_dir(root.join("content")).expect("read content/") {
        let path = entry.expect("content/ entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            md_files += 1;
            let text = fs::read_to_string(&path).expect("read content/*.md");
            words.extend(tokens(&mut lower, &text));
        }
    }
    assert!(md_files > 0, "no content/*.md files found");
    let content_words = words.len();
    assert!(content_words > 100, "only {content_words} words in content/*.md");

    let dict = fs::read_to_string(DICT).unwrap_or_else(|e| {
        panic!("cannot read {DICT} ({e}): install the `wamerican` package (apt-get install -y wamerican)")
    });
    for line in dict.lines() {
        if let [word] = tokens(&mut lower, &line.to_lowercase()).as_slice() {
            words.insert(word.clone());
        }
    }

    for &word in TRICKY {
        match tokens(&mut lower, word).as_slice() {
            [token] if token == word => {
                words.insert(token.clone());
            }
            other => {
                panic!("tricky word {word:?} does not survive tokenizing as itself: {other:?}")
            }
        }
    }

    // 2. Rust side: tantivy's own pipeline.
    let mut expected = Vec::with_capacity(words.len());
    for word in &words {
        match tokens(&mut stemming, word).as_slice() {
            [stem] => expected.push(stem.clone()),
            other => panic!("{word:?} gave {} tokens after stemming: {other:?}", other.len()),
        }
    }
    let words: Vec<String> = words.into_iter().collect();
    assert!(words.len() > 50_000, "only {} words to compare; the word list is broken", words.len());

    // 3. JS side: one node process, words on stdin, stems on stdout.
    let stemmer_js = root.join("themes/default/static/stemmer.js");
    assert!(stemmer_js.is_file(), "{} is missing", stemmer_js.display());
    let script = r#"
        const path = process.argv[1];
        const { stem } = require(path);
        if (typeof globalThis.PolicyKB !== 'object' || globalThis.PolicyKB.stem !== stem)
            throw new Error('stemmer.js must set globalThis.PolicyKB.stem');
        const words = require('fs').readFileSync(0, 'utf8').split('\n');
        words.pop(); // after the final newline
        process.stdout.write(words.map(stem).map((s) => s + '\n').join(''));
    "#;
    let mut input = tempfile::tempfile().expect("temp file");
    for word in &words {
        writeln!(input, "{word}").unwrap();
    }
    input.seek(SeekFrom::Start(0)).unwrap();
    let output = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(&stemmer_js)
        .stdin(Stdio::from(input))
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}); it is needed for this test"));
    assert!(output.status.success(), "node failed: {}", output.status);
    let stdout = String::from_utf8(output.stdout).expect("node printed non-UTF-8");
    let actual: Vec<&str> = stdout.lines().collect();
    assert_eq!(actual.len(), words.len(), "node printed the wrong number of stems");

    // 4. Compare.
    let mismatches: Vec<String> = words
        .iter()
        .zip(&expected)
        .zip(&actual)
        .filter(|((_, rust), js)| rust.as_str() != **js)
        .map(|((word, rust), js)| format!("  {word:?}: tantivy {rust:?}, stemmer.js {js:?}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} words stem differently (first 20):\n{}",
        mismatches.len(),
        words.len(),
        mismatches.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
    eprintln!(
        "stemmer parity: {} words compared ({content_words} from content/*.md), all identical",
        words.len()
    );
}
