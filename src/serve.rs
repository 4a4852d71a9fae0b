//! Serve: `policykb serve` — build in memory, serve over HTTP, watch the sources, rebuild on
//! change and reload open pages once the new build is complete.
//!
//! - The site is served from the finished build held in memory, so a request can never see a
//!   half-built site and nothing outside the build can be served (no paths on disk are
//!   touched, so `..`, encoded traversal and symlinks have nothing to reach).
//! - A broken edit keeps the last good build on the air; the errors go to the terminal and,
//!   through the live-reload channel (server-sent events on `/__policykb/events`), to an
//!   overlay in every open page. Fixing the file clears it.
//! - A site that has not built yet (broken from the start) is answered with a page that lists
//!   the errors and carries the overlay, and reloads once the site builds.
//! - A build that panics is reported like any failed build; the watcher goes on.
//! - Watching is notify's native watcher, debounced; `--poll` (or a platform where native
//!   events fail) uses polling instead.
//! - HTTP is [`http`]: GET and HEAD only, every request bounded in size and time.

pub mod http;

use crate::build::{BuildFailure, BuildOptions, PageCache, generate_with};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use anyhow::{Context, Result};
use http::{Reply, Request, Response};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdMap, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
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
    /// Whether a good build is being served (false while the site has never built).
    pub has_build: bool,
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
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Stops serving and watching, and waits for the threads to end.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        http::wake(self.address);
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// The shared state, readable even if a thread panicked while holding it (a panic is caught
/// and reported; it must not take the server down with it).
fn read(state: &RwLock<State>) -> RwLockReadGuard<'_, State> {
    state.read().unwrap_or_else(PoisonError::into_inner)
}

fn write(state: &RwLock<State>) -> RwLockWriteGuard<'_, State> {
    state.write().unwrap_or_else(PoisonError::into_inner)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Builds, starts serving and watching; returns once the server is listening.
pub fn start(options: ServeOptions) -> Result<Server> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = match TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "port {} on {} is already in use; stop the other server or choose another port with --port",
            options.port,
            options.bind
        ),
        Err(e) => anyhow::bail!("cannot listen on {address}: {e}"),
    };
    let address = listener.local_addr().context("the server has no address")?;
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
    // Requests: each connection in its own thread, so the event streams do not block pages.
    {
        let handler_stop = stop.clone();
        let handler: Arc<http::Handler> =
            Arc::new(move |request: &Request| handle(request, &state, &subscribers, &handler_stop));
        let stop = stop.clone();
        threads.push(std::thread::spawn(move || http::accept_loop(listener, handler, stop)));
    }
    if options.open {
        let url = format!("http://{address}/");
        if let Err(e) = open::that_detached(&url) {
            eprintln!("could not open a browser ({e}); open {url} yourself");
        }
    }
    Ok(Server { address, stop, threads })
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
        if outcome.status.has_build {
            eprintln!("build failed: still serving the last good build");
        } else {
            eprintln!(
                "build failed, and there is no earlier build to serve: pages show the errors until they are fixed"
            );
        }
    }
}

/// Builds into memory; on success the new files replace the old, on failure the old stay.
fn rebuild(options: &BuildOptions, state: &RwLock<State>, cache: &PageCache) -> Outcome {
    let started = Instant::now();
    let result = guarded(|| generate_with(options, Some(cache)));
    let build_ms = started.elapsed().as_millis();
    let mut state = write(state);
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
            Outcome {
                status: Status { changed, build_ms, ..status_of(&state) },
                ok: true,
                timings: generated.timings,
            }
        }
        Err(failure) => {
            state.errors = failure.diagnostics;
            Outcome {
                status: Status { build_ms, ..status_of(&state) },
                ok: false,
                timings: Default::default(),
            }
        }
    }
}

/// Runs a build, turning a panic into a failed build so the server and its watcher live on.
fn guarded<T>(build: impl FnOnce() -> Result<T, BuildFailure>) -> Result<T, BuildFailure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(BuildFailure {
            diagnostics: vec![
                Diagnostic::error("policykb", format!("the build stopped on an internal error: {what}"))
                    .with_help("this is a bug in policykb: please report it with the edit that caused it; undo the edit to go on"),
            ],
        })
    })
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
                let mut subscribers = lock(subscribers);
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
        has_build: !state.files.is_empty(),
    }
}

fn no_store(response: Response) -> Response {
    response.with_header("Cache-Control", "no-store")
}

fn handle(
    request: &Request,
    state: &Arc<RwLock<State>>,
    subscribers: &Arc<Mutex<Vec<Sender<Status>>>>,
    stop: &Arc<AtomicBool>,
) -> Reply {
    if let Some(internal) = request.target.strip_prefix(INTERNAL_PREFIX) {
        let own = |kind: &str, body: &str| {
            Reply::Full(no_store(Response::new(200, kind, body.as_bytes().to_vec())))
        };
        match internal.split('?').next().unwrap_or("") {
            "events" => {
                let (state, subscribers, stop) = (state.clone(), subscribers.clone(), stop.clone());
                return Reply::Stream(Box::new(move |stream| {
                    stream_events(stream, &state, &subscribers, &stop)
                }));
            }
            "livereload.js" => return own("text/javascript; charset=utf-8", LIVERELOAD_JS),
            "livereload.css" => return own("text/css; charset=utf-8", LIVERELOAD_CSS),
            "status" => {
                let body = serde_json::to_string(&status_of(&read(state))).unwrap_or_default();
                return own("application/json", &body);
            }
            _ => {}
        }
    }
    Reply::Full(page(&request.target, &read(state)))
}

/// The response for a page of the site.
fn page(target: &str, state: &State) -> Response {
    let file = match resolve(target) {
        Ok(file) => file,
        Err(code) => return Response::text(code, "Bad request"),
    };
    if state.files.is_empty() {
        return no_build_page(state);
    }
    // A folder without the slash: send the browser to the folder, so relative links work.
    if !state.files.contains_key(&file) && state.files.contains_key(&format!("{file}/index.html")) {
        return Response::new(301, "text/plain; charset=utf-8", Vec::new())
            .with_header("Location", folder_location(&file, target));
    }
    let (code, path, bytes) = match state.files.get(&file) {
        Some(bytes) => (200, file.as_str(), bytes.clone()),
        None => match state.files.get("404.html") {
            Some(bytes) => (404, "404.html", bytes.clone()),
            None => (404, "404.txt", Arc::new(b"Not found".to_vec())),
        },
    };
    let body = if path.ends_with(".html") { Arc::new(with_livereload(&bytes)) } else { bytes };
    no_store(Response::new(code, content_type(path), body)).with_header("X-Content-Type-Options", "nosniff")
}

/// Where to send a request for `folder` without its slash: the folder on this server, with
/// the query kept. Always one leading slash, so it can never read as `//other-host/`.
fn folder_location(folder: &str, target: &str) -> String {
    let mut location = format!("/{}/", percent_encode(folder, b"/"));
    if let Some((_, query)) = target.split_once('?') {
        let query = query.split('#').next().unwrap_or("");
        location.push('?');
        location.push_str(&percent_encode(query, b"/?%"));
    }
    location
}

/// `text` with every byte outside the unreserved and sub-delimiter characters (and `keep`)
/// percent-encoded, so it is safe in a header and reads the same in a URL.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) || keep.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What every page is while the site has never built: the errors (also without JavaScript)
/// and the live-reload overlay, so the page reloads by itself once the site builds.
fn no_build_page(state: &State) -> Response {
    let errors: String = state
        .errors
        .iter()
        .map(|d| format!("<pre>{}</pre>\n", crate::render::markdown::attr(&d.to_string())))
        .collect();
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>The site did not build</title>\n</head>\n<body>\n<main>\n<h1>The site did not build</h1>\n<p>There is no earlier build to show. Fix the errors below and save the file: this page reloads by itself once the site builds.</p>\n{errors}</main>\n</body>\n</html>\n"
    );
    no_store(Response::new(503, "text/html; charset=utf-8", with_livereload(html.as_bytes())))
}

/// A server-sent event stream: the current status at once, then one event per build.
fn stream_events(
    writer: &mut TcpStream,
    state: &RwLock<State>,
    subscribers: &Mutex<Vec<Sender<Status>>>,
    stop: &AtomicBool,
) {
    let (tx, rx) = channel();
    lock(subscribers).push(tx);
    let current = status_of(&read(state));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let send = |writer: &mut TcpStream, event: &str, status: &Status| -> std::io::Result<()> {
        let data = serde_json::to_string(status).unwrap_or_default();
        write!(writer, "event: {event}\ndata: {data}\n\n")?;
        writer.flush()
    };
    if writer.write_all(head.as_bytes()).and_then(|()| send(writer, "hello", &current)).is_err() {
        return;
    }
    while !stop.load(Ordering::SeqCst) {
        let result = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(status) => {
                let event =
                    if status.errors.iter().any(|e| e.severity == "error") { "error" } else { "reload" };
                send(writer, event, &status)
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
    fn folder_redirects_stay_on_this_server() {
        assert_eq!(folder_location("compare", "//compare"), "/compare/");
        assert_eq!(folder_location("compare", "/compare?q=a%20b&x=1#top"), "/compare/?q=a%20b&x=1");
        assert_eq!(folder_location("a b", "/a%20b"), "/a%20b/");
        assert_eq!(folder_location("x", "/x?\r\nSet-Cookie:1"), "/x/?%0D%0ASet-Cookie:1");
    }

    #[test]
    fn a_panicking_build_is_a_failed_build() {
        let result: Result<(), BuildFailure> = guarded(|| panic!("index out of range"));
        let failure = result.unwrap_err();
        assert!(failure.diagnostics[0].is_error());
        assert!(failure.diagnostics[0].message.contains("internal error: index out of range"), "{failure}");
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
