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

// ---------------------------------------------------------------------------------------------
// Hardening: redirects, bounded requests, keep-alive, broken starts, panics

/// Sends `request` as given and reads the whole response (the server closes the connection).
fn exchange(address: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("the server answers and closes the connection");
    String::from_utf8_lossy(&response).into_owned()
}

/// Reads one response with a `Content-Length` from a kept-alive connection: its head and body.
fn read_response(reader: &mut BufReader<TcpStream>) -> (String, String) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the connection closed mid-response: {head}");
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (head, String::from_utf8_lossy(&body).into_owned())
}

#[test]
fn a_folder_without_its_slash_is_redirected_on_this_server_only() {
    let dir = site_copy();
    let server = start(options(dir.path(), 0)).expect("the server starts");
    for (target, location) in [
        ("//compare", "/compare/"),
        ("/compare", "/compare/"),
        ("///compare?q=1", "/compare/?q=1"),
        ("/.//compare", "/compare/"),
    ] {
        let response = exchange(
            server.address,
            &format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        );
        assert!(response.starts_with("HTTP/1.1 301 "), "{target}: {response}");
        let sent = response.lines().find_map(|l| l.strip_prefix("Location: ")).expect("a Location");
        assert_eq!(sent, location, "{target}");
    }
    server.stop();
}

/// Streams `prefix` then endless `filler` bytes at the server until it stops reading, in a
/// thread; returns the response and how many bytes the server took before it closed.
fn flood(address: SocketAddr, prefix: &str, filler: u8) -> (String, usize) {
    const CAP: usize = 256 * 1024 * 1024;
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut sending = stream.try_clone().unwrap();
    let prefix = prefix.as_bytes().to_vec();
    let sender = std::thread::spawn(move || {
        let chunk = vec![filler; 64 * 1024];
        let mut sent = sending.write(&prefix).unwrap_or(0);
        while sent < CAP {
            match sending.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    });
    let mut response = Vec::new();
    let _ = (&stream).read_to_end(&mut response);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    (String::from_utf8_lossy(&response).into_owned(), sender.join().unwrap())
}

#[test]
fn an_endless_request_line_or_header_is_refused_without_being_buffered() {
    let dir = site_copy();
    let server = start(options(dir.path(), 0)).expect("the server starts");
    let (response, sent) = flood(server.address, "GET /", b'a');
    assert!(response.starts_with("HTTP/1.1 414 "), "{}", &response[..response.len().min(200)]);
    assert!(sent < 64 * 1024 * 1024, "the server read {sent} bytes of one URL");
    let (response, sent) = flood(server.address, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: ", b'a');
    assert!(response.starts_with("HTTP/1.1 431 "), "{}", &response[..response.len().min(200)]);
    assert!(sent < 64 * 1024 * 1024, "the server read {sent} bytes of one header");
    // The server still serves.
    assert_eq!(get(server.address, "/").0, 200);
    server.stop();
}

#[test]
fn http_1_0_keep_alive_is_confirmed_and_kept_and_plain_http_1_0_is_closed() {
    let dir = site_copy();
    let server = start(options(dir.path(), 0)).expect("the server starts");
    // What `ab -k` sends: HTTP/1.0 asking for keep-alive. Two requests on one connection.
    let stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..2 {
        (&stream)
            .write_all(b"GET /index.html HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: x\r\n\r\n")
            .unwrap();
        let (head, body) = read_response(&mut reader);
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert!(head.to_ascii_lowercase().contains("connection: keep-alive"), "keep-alive confirmed: {head}");
        assert!(body.contains("</html>"));
    }
    // HEAD: the same head, no body; the connection stays open for the next request.
    (&stream)
        .write_all(b"HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        reader.read_line(&mut head).unwrap();
    }
    assert!(head.starts_with("HTTP/1.1 200 ") && head.contains("Content-Length: "), "{head}");
    let (next, body) = read_response(&mut reader);
    assert!(next.starts_with("HTTP/1.1 200 ") && body.contains("</html>"), "HEAD sent no body: {next}");
    // Plain HTTP/1.0: answered, then closed.
    let response = exchange(server.address, "GET /index.html HTTP/1.0\r\n\r\n");
    assert!(
        response.starts_with("HTTP/1.1 200 ") && response.contains("Connection: close"),
        "{}",
        &response[..200]
    );
    // Methods other than GET and HEAD.
    let response = exchange(server.address, "DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 405 ") && response.contains("Allow: GET, HEAD"), "{response}");
    server.stop();
}

#[test]
fn a_site_broken_from_the_start_shows_its_errors_then_builds_when_fixed() {
    let dir = site_copy();
    let file = dir.path().join("content/holy-cross.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, original.replacen("school = ", "school = = ", 1)).unwrap();
    let server = start(options(dir.path(), 0)).expect("the server starts even so");
    let (_, status) = get(server.address, "/__policykb/status");
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["has_build"], false, "{status}");
    for path in ["/", "/policies/holy-cross.html", "/compare/"] {
        let (code, page) = get(server.address, path);
        assert_eq!(code, 503, "{path}");
        assert!(page.contains("The site did not build"), "{path}: {page}");
        assert!(page.contains("content/holy-cross.md:"), "the error, also without JavaScript: {page}");
        assert!(page.contains("/__policykb/livereload.js"), "the overlay and the reload: {page}");
    }
    let mut events = Events::open(server.address);
    let (event, hello) = events.next();
    assert_eq!(event, "hello");
    assert_eq!(hello["has_build"], false);
    std::fs::write(&file, &original).unwrap();
    let (event, status) = events.next();
    assert_eq!(event, "reload", "{status}");
    assert_eq!(status["has_build"], true);
    let (code, page) = get(server.address, "/policies/holy-cross.html");
    assert_eq!(code, 200);
    assert!(page.contains("This policy and guidance document recognises"));
    server.stop();
}

#[test]
fn a_colour_that_used_to_panic_is_an_error_and_the_watcher_goes_on() {
    let dir = site_copy();
    let server = start(options(dir.path(), 0)).expect("the server starts");
    let mut events = Events::open(server.address);
    events.next();
    let site_toml = dir.path().join("site.toml");
    let original = std::fs::read_to_string(&site_toml).unwrap();
    let broken = regex::Regex::new(r#"primary_colour = "[^"]*""#)
        .unwrap()
        .replace(&original, r##"primary_colour = "#aé€""##);
    assert_ne!(broken, original);
    std::fs::write(&site_toml, broken.as_bytes()).unwrap();
    let (event, status) = events.next();
    assert_eq!(event, "error", "{status}");
    let error = &status["errors"][0];
    assert_eq!(error["file"], "site.toml", "{error}");
    assert!(error["message"].as_str().unwrap().contains("not a colour"), "{error}");
    let (code, _) = get(server.address, "/");
    assert_eq!(code, 200, "the last good build stays up");
    // Fixing the file is seen: the rebuild thread is alive.
    std::fs::write(&site_toml, &original).unwrap();
    let (event, status) = events.next();
    assert_eq!(event, "reload", "{status}");
    server.stop();
}

#[test]
fn the_terminal_does_not_promise_a_last_good_build_when_there_is_none() {
    let dir = site_copy();
    let file = dir.path().join("content/holy-cross.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, original.replacen("school = ", "school = = ", 1)).unwrap();
    let mut child = std::process::Command::new(common::bin())
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("build failed") {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            break;
        }
        said.push_str(&line);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(said.contains("content/holy-cross.md:"), "{said}");
    assert!(!said.contains("last good build"), "there is none: {said}");
    assert!(said.contains("no earlier build to serve"), "{said}");
}
