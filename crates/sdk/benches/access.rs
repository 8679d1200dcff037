//! What the renter's signature costs each request on its way to a lease's cluster: the tunnel
//! (`io lease connect`) signs a fresh [`LeaseAccess`] per request, and the head's gateway parses
//! the request head and checks it (`check_access`: the ed25519 signature, the names, the window,
//! the nonce). The baseline is what any proxy does to the same request without the signature:
//! parse the head, rewrite it (`one_per_connection`, a header set) and write it out.
//!
//! `cargo bench -p io-sdk --bench access` (release); `cargo test -p io-sdk --bench access` runs it
//! unoptimised, as the debug binaries of `make up` run it. For release figures without building
//! io-sdk's dev-dependencies in release with fat LTO, use a throwaway crate as described in
//! `benches/report.rs` (its `src/main.rs` this file, io-sdk by path). Figures are printed, never
//! asserted.
use io_sdk::{
    worker::{
        cluster::{access, access_header, check_access, Expected, NonceCache, ACCESS_HEADER},
        http_head::RequestHead,
    },
    Pubkey,
};
use std::{hint::black_box, time::Instant};

/// A request as `ray job list` sends it (the tunnel adds the access header).
fn request(header: Option<&str>) -> Vec<u8> {
    let mut s = String::from(
        "GET /api/jobs/ HTTP/1.1\r\nHost: 127.0.0.1:8265\r\nUser-Agent: python-requests/2.32.3\r\n\
         Accept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n",
    );
    if let Some(h) = header {
        s.push_str(&format!("{ACCESS_HEADER}: {h}\r\n"));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn main() {
    let n: u32 = std::env::var("IO_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let secret = [7u8; 32];
    let renter =
        Pubkey::new_from_array(ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key().to_bytes());
    let (lease, device) = (Pubkey::new_from_array([1; 32]), Pubkey::new_from_array([2; 32]));
    let want = Expected { cluster: "genesis", lease: &lease, device: &device, renter: &renter };

    // Baseline: parse, rewrite and write out the unsigned request.
    let plain = request(None);
    let t = Instant::now();
    for _ in 0..n {
        let mut h = RequestHead::parse(black_box(&plain)).expect("a request head");
        h.set("Authorization", "Bearer 0123456789abcdef");
        h.one_per_connection();
        black_box(h.to_bytes());
    }
    let base = t.elapsed().as_secs_f64() / f64::from(n);

    // The tunnel's part: a fresh signed access per request, set on the head.
    let t = Instant::now();
    let mut headers = Vec::with_capacity(n as usize);
    for i in 0..n {
        let mut nonce = [0u8; 32];
        nonce[..4].copy_from_slice(&i.to_le_bytes());
        let mut h = RequestHead::parse(black_box(&plain)).expect("a request head");
        let value = access_header(&secret, &access("genesis", &lease, &device, nonce, 1_000_000));
        h.set(ACCESS_HEADER, &value);
        h.one_per_connection();
        black_box(h.to_bytes());
        headers.push(value);
    }
    let sign = t.elapsed().as_secs_f64() / f64::from(n);

    // The gateway's part: parse, check (signature, names, window, nonce), rewrite.
    let signed: Vec<Vec<u8>> = headers.iter().map(|h| request(Some(h))).collect();
    let mut nonces = NonceCache::default();
    let t = Instant::now();
    for raw in &signed {
        let mut h = RequestHead::parse(black_box(raw)).expect("a request head");
        check_access(h.header(ACCESS_HEADER), &want, 1_000_000, &mut nonces).expect("the renter's request");
        h.remove(ACCESS_HEADER);
        h.set("Authorization", "Bearer 0123456789abcdef");
        h.one_per_connection();
        black_box(h.to_bytes());
    }
    let check = t.elapsed().as_secs_f64() / f64::from(n);

    let us = |s: f64| s * 1e6;
    println!("requests: {n}");
    println!("baseline (parse + rewrite, no signature): {:.1} µs/request", us(base));
    println!(
        "tunnel: sign a fresh access + rewrite:     {:.1} µs/request ({:.0}× the baseline)",
        us(sign),
        sign / base
    );
    println!(
        "gateway: parse + check_access + rewrite:   {:.1} µs/request ({:.0}× the baseline)",
        us(check),
        check / base
    );
    println!("signature cost per request, both sides:    {:.3} ms", (sign + check - 2.0 * base) * 1e3);
}
