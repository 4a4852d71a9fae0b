//! Serve: `policykb serve` — build in memory, serve over HTTP, watch the sources, rebuild on
//! change and reload open pages once the new build is complete.
//!
//! - The site is served from the finished build held in memory, so a request can never see a
//!   half-built site and nothing outside the build can be served (no paths on disk are
//!   touched, so `..`, encoded traversal and symlinks have nothing to reach).
//! - A broken edit keeps the last good build on the air; the errors go to the terminal and,
//!   through the live-reload channel (server-sent events on `/__policykb/events`), to an
//!   overlay in every open page. Fixing the file clears it.
//! - Watching is notify's native watcher, debounced; `--poll` (or a platform where native
//!   events fail) uses polling instead.

use crate::build::{BuildOptions, PageCache, generate_with};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdMap, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Where the server's own files live; no site page can be there.
pub const INTERNAL_PREFIX: &str = "/__policykb/";
const LIVERELOAD_JS: &str = include_str!("serve/livereload.js");
const LIVERELOAD_CSS: &str = include_str!("serve/livereload.css");

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Folder holding `site.toml`.
    pub root: PathBuf,
    /// Address to listen on (`127.0.0.1`: only this computer).
    pub bind: IpAddr,
    /// Port to listen on (`8000`); 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Poll for changes instead of relying on the platform's file events.
    pub poll: bool,
    /// The day review dates are judged against (default: as for `build`).
    pub today: Option<jiff::civil::Date>,
}

/// The last good build, and the errors of the latest one if it failed.
#[derive(Default)]
struct State {
    files: HashMap<String, Arc<Vec<u8>>>,
    errors: Vec<Diagnostic>,
    /// Increases with every build, good or bad, so pages know whether they are current.
    version: u64,
}

/// What the live-reload channel tells pages.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The build number: it increases with every build, good or bad.
    pub version: u64,
    /// Pages that changed in the latest good build.
    pub changed: Vec<String>,
    /// The latest build's diagnostics: its errors if it failed, else its warnings.
    pub errors: Vec<DiagnosticView>,
    /// How long the build took, in milliseconds; 0 in a status sent on request, not after a build.
    pub build_ms: u128,
}

/// A diagnostic as the page's error overlay shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticView {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// File the problem is in, relative to the site root.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when not known.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when the build can say.
    pub help: Option<String>,
    /// The whole diagnostic as the terminal shows it, with its excerpt and help.
    pub text: String,
}

impl From<&Diagnostic> for DiagnosticView {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticView {
            severity: if d.is_error() { "error" } else { "warning" },
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            text: d.to_string(),
        }
    }
}

/// A running server: its address, and the means to stop it (tests use this; the CLI waits).
pub struct Server {
    /// Where the server listens (with the real port when 0 was asked for).
    pub address: SocketAddr,
    stop: Arc<AtomicBool>,
    http: Arc<tiny_http::Server>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Stops serving and watching, and waits for the threads to end.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        self.http.unblock();
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// Builds, starts serving and watching; returns once the server is listening.
pub fn start(options: ServeOptions) -> Result<Server> {
    let address = SocketAddr::new(options.bind, options.port);
    let http = match tiny_http::Server::http(address) {
        Ok(server) => Arc::new(server),
        Err(e) => {
            let in_use = e.to_string().to_lowercase().contains("in use");
            if in_use {
                anyhow::bail!(
                    "port {} on {} is already in use; stop the other server or choose another port with --port",
                    options.port,
                    options.bind
                );
            }
            anyhow::bail!("cannot listen on {address}: {e}");
        }
    };
    let address = http.server_addr().to_ip().context("the server has no IP address")?;
    let build_options = BuildOptions {
        root: options.root.clone(),
        out: None,
        // The 404 page's <base> must point at this server, not the published site.
        base_url: Some(format!("http://{address}/")),
        today: options.today,
    };
    let state = Arc::new(RwLock::new(State::default()));
    let subscribers: Arc<Mutex<Vec<Sender<Status>>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let cache = PageCache::default();
    let first = rebuild(&build_options, &state, &cache);
    report(&first);

    let mut threads = Vec::new();
    // Rebuilds: one thread takes debounced file events and rebuilds.
    let (events_tx, events_rx) = channel::<()>();
    let watcher = watch(&options.root, options.poll, events_tx)?;
    {
        let (state, subscribers, stop) = (state.clone(), subscribers.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            let _watcher = watcher; // watching lasts as long as this thread
            rebuild_loop(&build_options, &state, &cache, &subscribers, &stop, events_rx);
        }));
    }
    // Requests: each one in its own thread, so the event streams do not block pages.
    {
        let (http, stop) = (http.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            for request in http.incoming_requests() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let (state, subscribers, stop) = (state.clone(), subscribers.clone(), stop.clone());
                std::thread::spawn(move || handle(request, &state, &subscribers, &stop));
            }
        }));
    }
    if options.open {
        let url = format!("http://{address}/");
        if let Err(e) = open::that_detached(&url) {
            eprintln!("could not open a browser ({e}); open {url} yourself");
        }
    }
    Ok(Server { address, stop, http, threads })
}

/// Runs the server until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<()> {
    let server = start(options)?;
    println!("serving on http://{}/ (Ctrl-C to stop)", server.address);
    let (tx, rx) = channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .context("cannot install the Ctrl-C handler")?;
    let _ = rx.recv();
    println!("\nstopping");
    server.stop();
    Ok(())
}

/// The outcome of one build.
struct Outcome {
    status: Status,
    ok: bool,
    timings: crate::timings::Timings,
}

fn report(outcome: &Outcome) {
    if outcome.ok {
        println!(
            "built in {} ms ({} files changed): {}",
            outcome.status.build_ms,
            outcome.status.changed.len(),
            outcome.timings
        );
    }
    for d in &outcome.status.errors {
        eprintln!("{}", d.text);
    }
    if !outcome.ok {
        eprintln!("build failed: still serving the last good build");
    }
}

/// Builds into memory; on success the new files replace the old, on failure the old stay.
fn rebuild(options: &BuildOptions, state: &RwLock<State>, cache: &PageCache) -> Outcome {
    let started = Instant::now();
    let result = generate_with(options, Some(cache));
    let build_ms = started.elapsed().as_millis();
    let mut state = state.write().expect("state lock");
    state.version += 1;
    match result {
        Ok(generated) => {
            let files: HashMap<String, Arc<Vec<u8>>> = generated
                .files
                .into_iter()
                .map(|OutputFile { path, bytes }| (path, Arc::new(bytes)))
                .collect();
            let mut changed: Vec<String> = files
                .iter()
                .filter(|(path, bytes)| state.files.get(*path).is_none_or(|old| old != *bytes))
                .map(|(path, _)| path.clone())
                .collect();
            changed.sort();
            state.files = files;
            state.errors = generated.diagnostics.iter().cloned().collect();
            let errors = state.errors.iter().map(DiagnosticView::from).collect();
            Outcome {
                status: Status { version: state.version, changed, errors, build_ms },
                ok: true,
                timings: generated.timings,
            }
        }
        Err(failure) => {
            state.errors = failure.diagnostics;
            let errors = state.errors.iter().map(DiagnosticView::from).collect();
            Outcome {
                status: Status { version: state.version, changed: Vec::new(), errors, build_ms },
                ok: false,
                timings: Default::default(),
            }
        }
    }
}

fn rebuild_loop(
    options: &BuildOptions,
    state: &RwLock<State>,
    cache: &PageCache,
    subscribers: &Mutex<Vec<Sender<Status>>>,
    stop: &AtomicBool,
    events: Receiver<()>,
) {
    while !stop.load(Ordering::SeqCst) {
        match events.recv_timeout(Duration::from_millis(200)) {
            Ok(()) => {
                // Several saves in a burst make one build.
                while events.try_recv().is_ok() {}
                let outcome = rebuild(options, state, cache);
                report(&outcome);
                // Only now, with the build complete, are pages told to reload.
                let mut subscribers = subscribers.lock().expect("subscribers lock");
                subscribers.retain(|s| s.send(outcome.status.clone()).is_ok());
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
}

/// Whether a changed path is a source of the site (not its output or tooling).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else { return false };
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(first.as_deref(), Some("content" | "themes" | "templates" | "static" | "site.toml"))
}

/// Either kind of debounced watcher.
enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<notify::PollWatcher, FileIdMap>),
}

fn watch(root: &Path, poll: bool, tx: Sender<()>) -> Result<Watcher> {
    let root = root.canonicalize().with_context(|| format!("cannot find {}", root.display()))?;
    let filter_root = root.clone();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let relevant = events.iter().any(|e| {
            !matches!(e.kind, EventKind::Access(_)) && e.paths.iter().any(|p| is_source(&filter_root, p))
        });
        if relevant {
            let _ = tx.send(());
        }
    };
    let debounce = Duration::from_millis(60);
    let mut watcher = if poll {
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(250))
            .with_compare_contents(true);
        Watcher::Polling(new_debouncer_opt(debounce, None, handler, FileIdMap::new(), config)?)
    } else {
        match new_debouncer(debounce, None, handler.clone()) {
            Ok(debouncer) => Watcher::Native(debouncer),
            Err(e) => {
                eprintln!("native file watching is not available ({e}); polling instead");
                let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
                Watcher::Polling(new_debouncer_opt(debounce, None, handler, FileIdMap::new(), config)?)
            }
        }
    };
    // The site folder itself, so new folders (templates/, static/) are seen too; output and
    // tooling folders are filtered out by `is_source`.
    match &mut watcher {
        Watcher::Native(d) => d.watch(&root, RecursiveMode::Recursive)?,
        Watcher::Polling(d) => {
            for part in ["content", "themes", "templates", "static", "site.toml"] {
                let path = root.join(part);
                if path.exists() {
                    d.watch(&path, RecursiveMode::Recursive)?;
                }
            }
        }
    }
    Ok(watcher)
}

/// Decodes a request path and finds the output file it names, or says why not.
pub fn resolve(url: &str) -> Result<String, u16> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path).ok_or(400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(400),
            part => parts.push(part),
        }
    }
    let mut file = parts.join("/");
    if file.is_empty() || decoded.ends_with('/') {
        file = if file.is_empty() { "index.html".into() } else { format!("{file}/index.html") };
    }
    Ok(file)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Adds the live-reload script to a page as it is served (the build itself has none).
fn with_livereload(html: &[u8]) -> Vec<u8> {
    let tag = format!(
        "<link rel=\"stylesheet\" href=\"{INTERNAL_PREFIX}livereload.css\"><script src=\"{INTERNAL_PREFIX}livereload.js\" defer></script>"
    );
    let text = String::from_utf8_lossy(html);
    match text.find("</head>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => html.to_vec(),
    }
}

fn status_of(state: &State) -> Status {
    Status {
        version: state.version,
        changed: Vec::new(),
        errors: state.errors.iter().map(DiagnosticView::from).collect(),
        build_ms: 0,
    }
}

fn handle(
    request: tiny_http::Request,
    state: &RwLock<State>,
    subscribers: &Mutex<Vec<Sender<Status>>>,
    stop: &AtomicBool,
) {
    let url = request.url().to_string();
    if let Some(internal) = url.strip_prefix(INTERNAL_PREFIX) {
        match internal.split('?').next().unwrap_or("") {
            "events" => return stream_events(request, state, subscribers, stop),
            name @ ("livereload.js" | "livereload.css") => {
                let (body, kind) = if name.ends_with(".js") {
                    (LIVERELOAD_JS, "text/javascript; charset=utf-8")
                } else {
                    (LIVERELOAD_CSS, "text/css; charset=utf-8")
                };
                let response = tiny_http::Response::from_string(body)
                    .with_header(header("Content-Type", kind))
                    .with_header(header("Cache-Control", "no-store"));
                let _ = request.respond(response);
                return;
            }
            "status" => {
                let body =
                    serde_json::to_string(&status_of(&state.read().expect("state lock"))).unwrap_or_default();
                let response = tiny_http::Response::from_string(body)
                    .with_header(header("Content-Type", "application/json"))
                    .with_header(header("Cache-Control", "no-store"));
                let _ = request.respond(response);
                return;
            }
            _ => {}
        }
    }
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        let _ = request.respond(tiny_http::Response::empty(405).with_header(header("Allow", "GET, HEAD")));
        return;
    }
    let file = match resolve(&url) {
        Ok(file) => file,
        Err(code) => {
            let _ = request.respond(tiny_http::Response::from_string("Bad request").with_status_code(code));
            return;
        }
    };
    let state = state.read().expect("state lock");
    // A folder without the slash: send the browser to the folder, so relative links work.
    if !state.files.contains_key(&file) && state.files.contains_key(&format!("{file}/index.html")) {
        let location = format!("{}/", url.split('?').next().unwrap_or(""));
        let _ = request.respond(tiny_http::Response::empty(301).with_header(header("Location", &location)));
        return;
    }
    let (code, path, bytes) = match state.files.get(&file) {
        Some(bytes) => (200, file.as_str(), bytes.clone()),
        None => match state.files.get("404.html") {
            Some(bytes) => (404, "404.html", bytes.clone()),
            None => (404, "404.txt", Arc::new(b"Not found".to_vec())),
        },
    };
    let body = if path.ends_with(".html") { with_livereload(&bytes) } else { bytes.to_vec() };
    let response = tiny_http::Response::from_data(body)
        .with_status_code(code)
        .with_header(header("Content-Type", content_type(path)))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

/// A server-sent event stream: the current status at once, then one event per build.
fn stream_events(
    request: tiny_http::Request,
    state: &RwLock<State>,
    subscribers: &Mutex<Vec<Sender<Status>>>,
    stop: &AtomicBool,
) {
    let (tx, rx) = channel();
    subscribers.lock().expect("subscribers lock").push(tx);
    let current = status_of(&state.read().expect("state lock"));
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let send = |writer: &mut Box<dyn Write + Send>, event: &str, status: &Status| -> std::io::Result<()> {
        let data = serde_json::to_string(status).unwrap_or_default();
        write!(writer, "event: {event}\ndata: {data}\n\n")?;
        writer.flush()
    };
    if writer.write_all(head.as_bytes()).and_then(|()| send(&mut writer, "hello", &current)).is_err() {
        return;
    }
    while !stop.load(Ordering::SeqCst) {
        let result = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(status) => {
                let event =
                    if status.errors.iter().any(|e| e.severity == "error") { "error" } else { "reload" };
                send(&mut writer, event, &status)
            }
            // A comment keeps proxies and browsers from closing an idle stream.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                writer.write_all(b": ping\n\n").and_then(|()| writer.flush())
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        if result.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_site_only() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/compare/"), Ok("compare/index.html".into()));
        assert_eq!(resolve("/policies/holy-cross.html?x=1#6.11"), Ok("policies/holy-cross.html".into()));
        assert_eq!(resolve("/a%20b.html"), Ok("a b.html".into()));
        assert_eq!(resolve("/../site.toml"), Err(400));
        assert_eq!(resolve("/%2e%2e/site.toml"), Err(400));
        assert_eq!(resolve("/policies/..%2F..%2Fsite.toml"), Err(400));
        assert_eq!(resolve("/a%5c..%5csite.toml"), Err(400));
        assert_eq!(resolve("/%00"), Err(400));
        assert_eq!(resolve("/%zz"), Err(400));
    }

    #[test]
    fn only_sources_trigger_builds() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/a.md")));
        assert!(is_source(root, Path::new("/site/site.toml")));
        assert!(is_source(root, Path::new("/site/themes/default/static/style.css")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/target/debug/x")));
        assert!(!is_source(root, Path::new("/elsewhere/content/a.md")));
    }
}
