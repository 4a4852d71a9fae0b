//! `policykb serve` end to end: pages served from the last good build, edits rebuilt and
//! announced on the live-reload stream only once built, broken edits shown as errors while the
//! old pages stay up, and nothing served from outside the site.

use crate::common;

use policykb::serve::{ServeOptions, start};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// A copy of the real site in a temp dir, so edits do not touch the repository.
fn site_copy() -> tempfile::TempDir {
    let dir = common::tempdir();
    let root = common::repo_root();
    std::fs::copy(root.join("site.toml"), dir.path().join("site.toml")).unwrap();
    copy_dir(&root.join("content"), &dir.path().join("content"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn options(root: &Path, port: u16) -> ServeOptions {
    ServeOptions {
        root: root.to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port,
        open: false,
        poll: false,
        today: Some(jiff::civil::Date::new(2026, 11, 21).unwrap()),
    }
}

/// A plain HTTP/1.1 GET: status code and body. `path` is sent exactly as given.
fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let code = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (code, body)
}

/// The live-reload stream: yields `(event, data)` pairs.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(address: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(stream, "GET /__policykb/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // Skip the response head.
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Events { reader }
    }

    fn next(&mut self) -> (String, serde_json::Value) {
        let (mut event, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an event within 20 s");
            assert!(read > 0, "the event stream closed");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !event.is_empty() {
                return (event, serde_json::from_str(&data).unwrap());
            }
        }
    }
}

#[test]
fn edits_are_served_after_the_build_and_broken_edits_keep_the_last_good_site() {
    let dir = site_copy();
    let server = start(options(dir.path(), 0)).expect("the server starts");
    let address = server.address;

    let (code, home) = get(address, "/");
    assert_eq!(code, 200);
    assert!(home.contains("/__policykb/livereload.js"), "pages get the live-reload script");
    let (code, page) = get(address, "/policies/holy-cross.html");
    assert_eq!(code, 200);
    assert!(page.contains("This policy and guidance document recognises"));

    let mut events = Events::open(address);
    let (event, hello) = events.next();
    assert_eq!(event, "hello");
    let first_version = hello["version"].as_u64().unwrap();

    // A good edit: rebuilt, then announced, then served.
    let file = dir.path().join("content/holy-cross.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let edited =
        original.replace("This policy and guidance document recognises", "This EDITED policy recognises");
    std::fs::write(&file, &edited).unwrap();
    let (event, status) = events.next();
    assert_eq!(event, "reload", "{status}");
    assert!(status["version"].as_u64().unwrap() > first_version);
    assert!(
        status["changed"].as_array().unwrap().iter().any(|p| p == "policies/holy-cross.html"),
        "{status}"
    );
    let (_, page) = get(address, "/policies/holy-cross.html");
    assert!(
        page.contains("This EDITED policy recognises"),
        "the new build is served when the reload is sent"
    );

    // A broken edit: the error is announced with its place, and the old page stays up.
    std::fs::write(&file, edited.replacen("school = ", "school = = ", 1)).unwrap();
    let (event, status) = events.next();
    assert_eq!(event, "error", "{status}");
    let error = &status["errors"][0];
    assert_eq!(error["file"], "content/holy-cross.md");
    assert!(error["line"].as_u64().unwrap() > 1 && error["column"].as_u64().unwrap() > 0, "{error}");
    let (code, page) = get(address, "/policies/holy-cross.html");
    assert_eq!(code, 200);
    assert!(page.contains("This EDITED policy recognises"), "the last good build stays up");
    let (_, status) = get(address, "/__policykb/status");
    assert!(status.contains("content/holy-cross.md"), "the error is there for pages that load now: {status}");

    // Fixing it clears the error.
    std::fs::write(&file, &original).unwrap();
    let (event, status) = events.next();
    assert_eq!(event, "reload", "{status}");
    assert!(status["errors"].as_array().unwrap().iter().all(|e| e["severity"] != "error"));
    let (_, page) = get(address, "/policies/holy-cross.html");
    assert!(page.contains("This policy and guidance document recognises"));
    server.stop();
}

#[test]
fn only_the_site_is_served() {
    let dir = site_copy();
    std::fs::write(dir.path().join("secret.txt"), "not for the web").unwrap();
    let server = start(options(dir.path(), 0)).expect("the server starts");
    let address = server.address;
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/policies/..%2F..%2Fsite.toml",
        "/%2e%2e%2fsecret.txt",
        "/policies/%2e%2e/%2e%2e/secret.txt",
        "/a%5c..%5csecret.txt",
        "/%00",
    ] {
        let (code, body) = get(address, path);
        assert!(code == 400 || code == 404, "{path} gave {code}");
        assert!(!body.contains("not for the web") && !body.contains("[branding]"), "{path} leaked a file");
    }
    let (code, body) = get(address, "/no-such-page.html");
    assert_eq!(code, 404);
    assert!(body.contains("Page not found"), "unknown pages get the site's 404 page");
    let (code, _) = get(address, "/secret.txt");
    assert_eq!(code, 404, "files next to the site are not served");
    let (code, body) = get(address, "/policies/");
    assert_eq!(code, 404, "no directory listings");
    assert!(!body.contains("holy-cross.html\""), "no directory listings");
    // Correct content types.
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET /assets/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.to_lowercase().contains("content-type: text/css"),
        "{}",
        &response[..200.min(response.len())]
    );
    server.stop();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = site_copy();
    let started = Instant::now();
    let error = start(options(dir.path(), port)).err().expect("the port is taken");
    let message = format!("{error:#}");
    assert!(message.contains(&port.to_string()) && message.contains("in use"), "{message}");
    assert!(message.contains("--port"), "says how to fix it: {message}");
    assert!(started.elapsed() < Duration::from_secs(30));
}
