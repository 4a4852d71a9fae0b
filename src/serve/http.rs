//! HTTP for `serve`: a small HTTP/1.0 and 1.1 server on std's TCP, enough for browsers and
//! load testers, with every part of a request bounded.
//!
//! - A request line is at most [`MAX_REQUEST_LINE`] bytes (414 beyond) and the header fields
//!   at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] lines (431 beyond): nothing longer is ever
//!   buffered. A head must arrive within [`HEAD_TIMEOUT`], which also closes idle connections.
//! - Only GET and HEAD are served (405 otherwise). Bodies are never read, so a request that
//!   announces one is answered and its connection closed.
//! - Keep-alive as the client asks: HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with
//!   `Connection: keep-alive`, which the response then confirms (`ab -k` waits for that).
//! - At most [`MAX_CONNECTIONS`] connections at once; more are answered 503 and closed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Longest request line read (method, target and version).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Most bytes of header fields read after the request line.
pub const MAX_HEAD: usize = 32 * 1024;
/// Most header field lines read.
pub const MAX_HEADERS: usize = 100;
/// Time a client has to send a whole request head, counted from when the server starts
/// waiting for it (so an idle keep-alive connection is closed after this long too).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(15);
/// Most connections served at once (each open page holds one for its live-reload stream).
pub const MAX_CONNECTIONS: usize = 256;
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How much more of a refused request is read before closing (see [`linger`]).
const LINGER_BYTES: u64 = 1024 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(2);

/// A request the server accepted: GET or HEAD, with its target as sent.
#[derive(Debug, Clone)]
pub struct Request {
    /// The path and query, as sent (`/compare/?q=x`); an absolute-form target is cut to this.
    pub target: String,
    /// HEAD: the response's body is left out.
    pub head: bool,
    keep_alive: bool,
}

/// A complete response.
pub struct Response {
    /// The HTTP status code (`200`, `404`).
    pub status: u16,
    /// Headers besides those the server adds itself.
    pub headers: Vec<(&'static str, String)>,
    /// The body, shared so a cached file is not copied per request.
    pub body: Arc<Vec<u8>>,
}

impl Response {
    /// A response with this status, `Content-Type` and body.
    pub fn new(status: u16, content_type: &str, body: impl Into<Arc<Vec<u8>>>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body: body.into() }
    }

    /// A short plain-text response, for errors.
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }

    /// The response with one more header field.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a handler answers: a response, or a stream that takes the connection over (the
/// live-reload events). The stream writes its own head; the connection closes when it ends.
pub enum Reply {
    /// A response, sent with its length.
    Full(Response),
    /// Writes to the connection until it is done with it.
    Stream(Box<dyn FnOnce(&mut TcpStream) + Send>),
}

/// Answers one request.
pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Accepts connections on `listener` until `stop` is set (then call [`wake`]), each served in
/// its own thread by `handler`.
pub fn accept_loop(listener: TcpListener, handler: Arc<Handler>, stop: Arc<AtomicBool>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
            let _ = write_response(&mut stream, &Response::text(503, "Too many connections"), false, false);
            continue;
        }
        let (handler, stop, open) = (handler.clone(), stop.clone(), open.clone());
        std::thread::spawn(move || {
            serve_connection(stream, &*handler, &stop);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Unblocks [`accept_loop`] after `stop` was set, by connecting to it.
pub fn wake(address: SocketAddr) {
    let _ = TcpStream::connect_timeout(&address, Duration::from_secs(1));
}

fn serve_connection(stream: TcpStream, handler: &Handler, stop: &AtomicBool) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    // A response is written as head then body: without this, Nagle's algorithm holds the body
    // back for the client's delayed ACK, 40 ms a request on a kept-alive connection.
    let _ = stream.set_nodelay(true);
    let Ok(reading) = stream.try_clone() else { return };
    let mut reader = BufReader::new(Deadline { stream: reading, until: Instant::now() });
    let mut writer = stream;
    while !stop.load(Ordering::SeqCst) {
        reader.get_mut().until = Instant::now() + HEAD_TIMEOUT;
        let request = match read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(refusal) => {
                let mut response = Response::text(refusal.status, refusal.reason);
                if refusal.status == 405 {
                    response = response.with_header("Allow", "GET, HEAD");
                }
                let _ = write_response(&mut writer, &response, false, false);
                return linger(&mut reader, &writer);
            }
        };
        match handler(&request) {
            Reply::Full(response) => {
                let written = write_response(&mut writer, &response, request.keep_alive, request.head);
                if written.is_err() || !request.keep_alive {
                    return;
                }
            }
            Reply::Stream(stream) => return stream(&mut writer),
        }
    }
}

/// After a refusal, reads and drops a little more of what the client is still sending before
/// closing, so that the refusal reaches it instead of being lost to a reset; bounded in bytes
/// and time, like everything else read.
fn linger(reader: &mut BufReader<Deadline>, writer: &TcpStream) {
    let _ = writer.shutdown(std::net::Shutdown::Write);
    reader.get_mut().until = Instant::now() + LINGER_TIME;
    let _ = std::io::copy(&mut reader.by_ref().take(LINGER_BYTES), &mut std::io::sink());
}

/// Why a request was refused, as its status and a few words.
#[derive(Debug, PartialEq, Eq)]
struct Refusal {
    status: u16,
    reason: &'static str,
}

const fn refuse(status: u16, reason: &'static str) -> Refusal {
    Refusal { status, reason }
}

/// Reads one request head. `Ok(None)`: the client closed the connection or went quiet.
fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, Refusal> {
    // Empty lines before a request are allowed (RFC 9112 §2.2); a few, not forever.
    let mut line = Vec::new();
    for _ in 0..4 {
        match read_line(reader, MAX_REQUEST_LINE, &mut line) {
            Ok(true) if line.is_empty() => continue,
            Ok(true) => break,
            Ok(false) => return Ok(None),
            Err(()) => return Err(refuse(414, "The request line is too long")),
        }
    }
    let request_line = std::str::from_utf8(&line).map_err(|_| refuse(400, "Bad request"))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse(400, "Bad request"));
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(refuse(505, "Only HTTP/1.0 and HTTP/1.1 are served")),
        _ => return Err(refuse(400, "Bad request")),
    };
    let target = origin_form(target).ok_or(refuse(400, "Bad request"))?.to_string();
    let method = method.to_string();

    let (mut connection, mut has_body) = (String::new(), false);
    let mut budget = MAX_HEAD;
    let mut count = 0;
    loop {
        let mut field = Vec::new();
        match read_line(reader, budget, &mut field) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(()) => return Err(refuse(431, "The request's header fields are too large")),
        }
        if field.is_empty() {
            break;
        }
        budget = budget.saturating_sub(field.len() + 2);
        count += 1;
        if count > MAX_HEADERS {
            return Err(refuse(431, "The request has too many header fields"));
        }
        let field = std::str::from_utf8(&field).map_err(|_| refuse(400, "Bad request"))?;
        let Some((name, value)) = field.split_once(':') else { return Err(refuse(400, "Bad request")) };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(refuse(400, "Bad request"));
        }
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            connection = value.to_ascii_lowercase();
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value != "0")
        {
            has_body = true;
        }
    }
    if method != "GET" && method != "HEAD" {
        return Err(refuse(405, "Only GET and HEAD are served"));
    }
    let asks = |word: &str| connection.split(',').any(|t| t.trim() == word);
    let keep_alive = !has_body && if http11 { !asks("close") } else { asks("keep-alive") };
    Ok(Some(Request { target, head: method == "HEAD", keep_alive }))
}

/// The path-and-query of a request target: origin-form as it is, absolute-form without its
/// scheme and authority. `None` for anything else (`*`, `example.org:80`).
fn origin_form(target: &str) -> Option<&str> {
    if target.starts_with('/') {
        return Some(target);
    }
    let rest = target.strip_prefix("http://").or_else(|| target.strip_prefix("https://"))?;
    Some(rest.find('/').map_or("/", |at| &rest[at..]))
}

/// Reads a line ending in LF (CR LF or LF) into `line`, without the ending, reading at most
/// `max` bytes of it. `Ok(false)`: the connection ended or timed out first. `Err`: too long.
fn read_line(reader: &mut impl BufRead, max: usize, line: &mut Vec<u8>) -> Result<bool, ()> {
    line.clear();
    // The ending counts beyond `max`: CR LF is two more bytes.
    let read = reader.by_ref().take(max as u64 + 2).read_until(b'\n', line);
    match read {
        Ok(0) | Err(_) => return Ok(false),
        Ok(_) => {}
    }
    if line.last() != Some(&b'\n') {
        return if line.len() >= max { Err(()) } else { Ok(false) };
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if line.len() > max { Err(()) } else { Ok(true) }
}

/// A socket whose reads fail once `until` has passed, however slowly the bytes trickle in.
struct Deadline {
    stream: TcpStream,
    until: Instant,
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Writes a response with its length, saying whether the connection stays open.
fn write_response(
    writer: &mut impl Write,
    response: &Response,
    keep_alive: bool,
    head: bool,
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    writer.write_all(out.as_bytes())?;
    if !head {
        writer.write_all(&response.body)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(head: &str) -> Result<Option<Request>, Refusal> {
        read_request(&mut std::io::Cursor::new(head.as_bytes().to_vec()))
    }

    #[test]
    fn keep_alive_follows_the_version_and_the_connection_field() {
        let keep = |head: &str| read(head).unwrap().unwrap().keep_alive;
        assert!(keep("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!keep("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
        assert!(!keep("GET / HTTP/1.0\r\n\r\n"));
        assert!(keep("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
        assert!(!keep("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"), "a body is never read");
    }

    #[test]
    fn requests_are_bounded_and_checked() {
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(read(&long).unwrap_err().status, 414);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read(&big).unwrap_err().status, 431);
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(MAX_HEADERS + 1));
        assert_eq!(read(&many).unwrap_err().status, 431);
        assert_eq!(read("POST / HTTP/1.1\r\n\r\n").unwrap_err().status, 405);
        assert_eq!(read("GET / HTTP/2.0\r\n\r\n").unwrap_err().status, 505);
        assert_eq!(read("GET /\r\n\r\n").unwrap_err().status, 400);
        assert_eq!(read("GET * HTTP/1.1\r\n\r\n").unwrap_err().status, 400);
        assert_eq!(read("GET / HTTP/1.1\r\nno colon\r\n\r\n").unwrap_err().status, 400);
        assert!(read("GET / HTTP/1.1\r\nHost: x").unwrap().is_none(), "cut short: nothing to answer");
        let absolute = read("GET http://localhost:8000/compare/?q=1 HTTP/1.1\r\n\r\n").unwrap().unwrap();
        assert_eq!(absolute.target, "/compare/?q=1");
        assert!(read("HEAD / HTTP/1.1\r\n\r\n").unwrap().unwrap().head);
    }
}
