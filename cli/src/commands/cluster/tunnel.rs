//! `io lease connect`: a listener on this machine that forwards each request to the head's
//! gateway with a fresh signature of the renter's wallet. Ray's own tools connect to it as to a
//! dashboard (`ray job submit --address http://127.0.0.1:PORT`); they send fixed headers only,
//! so the per-request signature (fresh nonce) has to be added here. One request per connection
//! (every request signed on its own); a WebSocket upgrade (`ray job logs -f`) stays open.
use super::Target;
use anyhow::{anyhow, bail, Result};
use io_sdk::worker::{
    cluster::ACCESS_HEADER,
    http_head::{error_body, head_end, json_response, RequestHead, MAX_HEAD},
};
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// `host:port` of an `http://` gateway URL (the tunnel speaks plain HTTP to it).
pub fn authority(endpoint: &str) -> Result<String> {
    let Some(rest) = endpoint.strip_prefix("http://") else {
        bail!(
            "the gateway {endpoint} is not an http:// URL: the tunnel reaches gateways over plain HTTP only"
        );
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        bail!("the gateway URL {endpoint} names no host");
    }
    Ok(if host.contains(':') { host.to_string() } else { format!("{host}:80") })
}

/// Binds `127.0.0.1:port` (0: any free port), refusing a busy port with what to do.
pub async fn bind(port: u16) -> Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow!("port {port} on 127.0.0.1 is in use: pass --port PORT, or --port 0 for any free port")
        } else {
            anyhow!("cannot listen on 127.0.0.1:{port}: {e}")
        }
    })
}

/// Serves connections until `stop` resolves; the number of requests forwarded.
pub async fn serve(
    listener: TcpListener,
    target: Arc<Target>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<u64> {
    let upstream = authority(&target.endpoint)?;
    let count = Arc::new(AtomicU64::new(0));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                // A failed accept (out of file descriptors) ends one connection, not the tunnel.
                let conn = match accepted {
                    Ok((conn, _)) => conn,
                    Err(e) => {
                        note(&format!("could not accept a connection: {e}; retrying"));
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (target, upstream, count) = (target.clone(), upstream.clone(), count.clone());
                tokio::spawn(async move {
                    if let Err(e) = forward(conn, &target, &upstream, &count).await {
                        note(&format!("a request failed: {e:#}"));
                    }
                });
            }
        }
    }
    Ok(count.load(Ordering::Relaxed))
}

/// A line on stderr for the user; a closed stderr must not end the tunnel (eprintln! panics).
fn note(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "io lease connect: {line}");
}

/// One connection: its request head signed and sent on, then bytes both ways until either side
/// closes.
async fn forward(mut conn: TcpStream, target: &Target, upstream: &str, count: &AtomicU64) -> Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let end = loop {
        if let Some(end) = head_end(&buf) {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return refuse(
                &mut conn,
                431,
                "Request Header Fields Too Large",
                "head_too_large",
                "the request head is over 64 KiB",
            )
            .await;
        }
        let mut chunk = [0u8; 4096];
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Ok(()); // Closed before a whole request: nothing to forward.
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let mut head = match RequestHead::parse(&buf[..end]) {
        Ok(h) => h,
        Err(why) => return refuse(&mut conn, 400, "Bad Request", "bad_request", &why).await,
    };
    let port = conn.local_addr()?.port();
    if let Err(why) = local_caller(&head, port) {
        return refuse(&mut conn, 403, "Forbidden", "not_local", &why).await;
    }
    head.set(ACCESS_HEADER, &target.access_header());
    head.set("Host", upstream);
    head.one_per_connection();
    let mut up = match TcpStream::connect(upstream).await {
        Ok(s) => s,
        Err(e) => {
            let why = format!("the cluster's gateway {} does not answer: {e}", target.endpoint);
            return refuse(&mut conn, 502, "Bad Gateway", "gateway_unreachable", &why).await;
        }
    };
    up.set_nodelay(true)?;
    up.write_all(&head.to_bytes()).await?;
    up.write_all(&buf[end..]).await?;
    count.fetch_add(1, Ordering::Relaxed);
    // Either side closing ends the exchange; an error after that is a peer hanging up.
    let _ = tokio::io::copy_bidirectional(&mut conn, &mut up).await;
    Ok(())
}

/// The tunnel signs with the renter's wallet for whoever reaches it, so it serves only the
/// renter's own tools: a request must name this address as its Host, and a browser's request
/// must come from a page of the same address. A web page elsewhere (DNS rebinding, a
/// cross-site request) is refused before anything is signed.
pub fn local_caller(head: &RequestHead, port: u16) -> Result<(), String> {
    let ours = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let host = head.header("host").unwrap_or("");
    if !ours.iter().any(|o| o.eq_ignore_ascii_case(host)) {
        return Err(format!("the tunnel serves requests for {} only, not Host {host:?}", ours[0]));
    }
    if let Some(origin) = head.header("origin") {
        let local = ours.iter().any(|o| origin.eq_ignore_ascii_case(&format!("http://{o}")));
        if !local {
            return Err(format!("requests from web pages at {origin} are refused"));
        }
    }
    Ok(())
}

async fn refuse(conn: &mut TcpStream, status: u16, reason: &str, code: &str, message: &str) -> Result<()> {
    conn.write_all(&json_response(status, reason, &error_body(code, message))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_renters_own_tools_are_signed_for() {
        let head = |extra: &str| {
            RequestHead::parse(format!("GET /api/jobs/ HTTP/1.1\r\n{extra}\r\n").as_bytes()).unwrap()
        };
        assert_eq!(local_caller(&head("Host: 127.0.0.1:8265\r\n"), 8265), Ok(()));
        assert_eq!(
            local_caller(&head("Host: localhost:8265\r\nOrigin: http://localhost:8265\r\n"), 8265),
            Ok(())
        );
        assert!(local_caller(&head("Host: evil.example:8265\r\n"), 8265).unwrap_err().contains("not Host"));
        assert!(local_caller(&head(""), 8265).is_err(), "no Host");
        let page = head("Host: 127.0.0.1:8265\r\nOrigin: https://evil.example\r\n");
        assert!(local_caller(&page, 8265).unwrap_err().contains("web pages at https://evil.example"));
    }

    #[test]
    fn gateway_authorities() {
        assert_eq!(authority("http://127.0.0.1:7960").unwrap(), "127.0.0.1:7960");
        assert_eq!(authority("http://gw.example/").unwrap(), "gw.example:80");
        assert!(authority("https://gw.example").unwrap_err().to_string().contains("plain HTTP only"));
        assert!(authority("http://").is_err());
    }
}
