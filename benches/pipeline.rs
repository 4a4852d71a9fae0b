//! `cargo bench`: how fast policykb is on the real five-school site.
//!
//! - build: the whole pipeline in memory, and each stage;
//! - search: the build-time engine's query time, and the browser client's (the same
//!   `search.js` under node, whose V8 is Chromium's) and its download size, gzipped;
//! - serve: save-to-reload, from writing a content file to the live-reload event announcing the
//!   finished build.
//!
//! Prints medians; nothing here asserts a time (the tests assert behaviour).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn questions() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/search-questions.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["question"].as_array().unwrap().iter().map(|q| q["query"].as_str().unwrap().to_string()).collect()
}

fn bench_build() {
    let options = policykb::BuildOptions::new(root());
    let mut totals = Vec::new();
    let mut stages: Vec<(&'static str, Vec<f64>)> = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let generated = policykb::build::generate(&options).expect("the site builds");
        totals.push(started.elapsed().as_secs_f64() * 1e3);
        for (i, (stage, took)) in generated.timings.stages.iter().enumerate() {
            if stages.len() <= i {
                stages.push((stage, Vec::new()));
            }
            stages[i].1.push(took.as_secs_f64() * 1e3);
        }
    }
    println!("build (in memory, 10 runs): median {:.0} ms", median(totals));
    for (stage, times) in stages {
        println!("  {stage:<18} {:>7.1} ms", median(times));
    }
}

fn bench_search(site: &Path) {
    let loaded = policykb::build::analyse_site(&policykb::BuildOptions::new(root())).unwrap();
    let questions = questions();
    let options = policykb::search::SearchOptions { limit: 10, ..Default::default() };
    let started = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        for q in &questions {
            loaded.index.search(q, &options).unwrap();
        }
    }
    let per_query = started.elapsed().as_secs_f64() * 1e3 / (rounds * questions.len()) as f64;
    println!("search, build-time engine: {per_query:.2} ms per query ({} questions)", questions.len());

    let assets = site.join("assets");
    let mut total = 0;
    for file in ["search-ui.js", "search.js", "stemmer.js", "search-index.js"] {
        let bytes = std::fs::read(assets.join(file)).unwrap();
        let gz = gzip_len(&bytes);
        total += gz;
        println!("  {file:<16} {:>7} bytes, {:>6} gzipped", bytes.len(), gz);
    }
    println!("search payload, gzipped: {:.1} KB", total as f64 / 1024.0);

    let script = format!(
        r#"require({:?}); require({:?}); require({:?});
        const t0 = process.hrtime.bigint();
        const engine = new PolicyKB.Engine(PolicyKB.searchIndex);
        const t1 = process.hrtime.bigint();
        const qs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        for (const q of qs) engine.search(q, {{ limit: 10 }});
        const rounds = 50; const t2 = process.hrtime.bigint();
        for (let r = 0; r < rounds; r++) for (const q of qs) engine.search(q, {{ limit: 10 }});
        const t3 = process.hrtime.bigint();
        // As typed: every prefix of every question.
        let typed = 0; const t4 = process.hrtime.bigint();
        for (const q of qs) for (let i = 1; i <= q.length; i++) {{ engine.search(q.slice(0, i), {{ limit: 8 }}); typed++; }}
        const t5 = process.hrtime.bigint();
        console.log(JSON.stringify({{ index_ms: Number(t1 - t0) / 1e6, query_ms: Number(t3 - t2) / 1e6 / (rounds * qs.length), keystroke_ms: Number(t5 - t4) / 1e6 / typed }}));"#,
        assets.join("stemmer.js"),
        assets.join("search.js"),
        assets.join("search-index.js")
    );
    let mut node = Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    node.stdin.take().unwrap().write_all(serde_json::to_string(&questions).unwrap().as_bytes()).unwrap();
    let out = node.wait_with_output().unwrap();
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    println!(
        "search, browser client (node/V8): index built in {:.0} ms on first use; {:.2} ms per query; {:.2} ms per keystroke",
        result["index_ms"].as_f64().unwrap(),
        result["query_ms"].as_f64().unwrap(),
        result["keystroke_ms"].as_f64().unwrap()
    );
}

fn bench_serve() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("topics")).unwrap();
    for entry in walkdir::WalkDir::new(root().join("content")).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(root().join("content")).unwrap();
        if entry.file_type().is_file() {
            std::fs::copy(entry.path(), content.join(rel)).unwrap();
        }
    }
    let server = policykb::serve::start(policykb::serve::ServeOptions {
        root: dir.path().to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        open: false,
        poll: false,
        today: None,
    })
    .unwrap();
    let mut stream = TcpStream::connect(server.address).unwrap();
    write!(stream, "GET /__policykb/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = BufReader::new(stream);
    let mut next_event = || loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(event) = line.strip_prefix("event: ") {
            return event.trim().to_string();
        }
    };
    assert_eq!(next_event(), "hello");
    let file = content.join("holy-cross.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut times = Vec::new();
    for i in 0..10 {
        let edited = original.replace(
            "This policy and guidance document",
            &format!("This policy (edit {i}) and guidance document"),
        );
        let started = Instant::now();
        std::fs::write(&file, edited).unwrap();
        assert_eq!(next_event(), "reload");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        std::thread::sleep(Duration::from_millis(300));
    }
    println!("serve, save to reload event (10 edits of one policy): median {:.0} ms", median(times));
    server.stop();
}

fn main() {
    // `cargo bench` passes --bench; any other argument filters nothing here.
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let options = policykb::BuildOptions { out: Some(site.clone()), ..policykb::BuildOptions::new(root()) };
    policykb::build(&options).expect("the site builds");
    bench_build();
    bench_search(&site);
    bench_serve();
}
