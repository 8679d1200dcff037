//! The head of an HTTP/1.1 request, read and rewritten by the two proxies on the renter's path
//! to a lease's cluster: `io lease connect` (adds the renter's signed access) and the head
//! worker's gateway (checks it, strips it, adds Ray's token). Both forward one request per
//! connection and then splice bytes, so WebSocket upgrades (`ray job logs -f`) pass unchanged.

/// The most a request head may take; a longer one is refused.
pub const MAX_HEAD: usize = 64 * 1024;

/// A request line and its headers, in order, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    /// The request target (path and query).
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
}

/// Where the head ends in `buf` (the index just past `\r\n\r\n`), if it is complete.
pub fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

impl RequestHead {
    /// Parses a complete head (up to and including the blank line).
    pub fn parse(head: &[u8]) -> Result<RequestHead, String> {
        let text = std::str::from_utf8(head).map_err(|_| "the request head is not UTF-8".to_string())?;
        let mut lines = text.split("\r\n");
        let line = lines.next().unwrap_or("");
        let mut parts = line.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("not an HTTP request line: {line:?}"));
        };
        if !version.starts_with("HTTP/1.") {
            return Err(format!("only HTTP/1.x is served, not {version}"));
        }
        let mut headers = vec![];
        for l in lines.take_while(|l| !l.is_empty()) {
            let (name, value) = l.split_once(':').ok_or_else(|| format!("not a header line: {l:?}"))?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        Ok(RequestHead { method: method.into(), target: target.into(), version: version.into(), headers })
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Drops every header named `name`.
    pub fn remove(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// Sets `name` to `value` (replacing any earlier value).
    pub fn set(&mut self, name: &str, value: &str) {
        self.remove(name);
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Whether the client asks to switch protocols (a WebSocket).
    pub fn is_upgrade(&self) -> bool {
        self.header("upgrade").is_some()
    }

    /// One request per connection: `Connection: close` unless it is an upgrade, so that every
    /// request is signed and checked on its own.
    pub fn one_per_connection(&mut self) {
        if !self.is_upgrade() {
            self.set("Connection", "close");
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = format!("{} {} {}\r\n", self.method, self.target, self.version);
        for (n, v) in &self.headers {
            s.push_str(n);
            s.push_str(": ");
            s.push_str(v);
            s.push_str("\r\n");
        }
        s.push_str("\r\n");
        s.into_bytes()
    }
}

/// A complete HTTP/1.1 response with a JSON body (the proxies' own refusals).
pub fn json_response(status: u16, reason: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The JSON body of a refusal: `{"error": code, "message": text}`.
pub fn error_body(code: &str, message: &str) -> String {
    serde_json::json!({ "error": code, "message": message }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_round_trips_with_headers_rewritten() {
        let raw = b"GET /api/jobs/?x=1 HTTP/1.1\r\nHost: a\r\nX-Io-Lease-Access: s\r\nConnection: keep-alive\r\n\r\nbody";
        let end = head_end(raw).unwrap();
        assert_eq!(&raw[end..], b"body");
        let mut h = RequestHead::parse(&raw[..end]).unwrap();
        assert_eq!((h.method.as_str(), h.target.as_str()), ("GET", "/api/jobs/?x=1"));
        assert_eq!(h.header("x-io-lease-access"), Some("s"));
        h.remove("x-io-lease-access");
        h.set("Authorization", "Bearer t");
        h.one_per_connection();
        let out = String::from_utf8(h.to_bytes()).unwrap();
        assert_eq!(
            out,
            "GET /api/jobs/?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn an_upgrade_keeps_its_connection_header() {
        let raw = b"GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
        let mut h = RequestHead::parse(raw).unwrap();
        h.one_per_connection();
        assert_eq!(h.header("connection"), Some("Upgrade"));
    }

    #[test]
    fn garbage_is_refused() {
        assert!(RequestHead::parse(b"hello\r\n\r\n").is_err());
        assert!(RequestHead::parse(b"GET / HTTP/2\r\n\r\n").is_err());
        assert!(RequestHead::parse(b"GET / HTTP/1.1\r\nno-colon\r\n\r\n").is_err());
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
