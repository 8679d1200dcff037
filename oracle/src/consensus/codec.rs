//! How report bodies, digests and signatures are spelled where the node stores and exchanges
//! them: bodies as the hex of their borsh bytes (exactly what io_oracle hashes and stores), digests
//! and signatures as hex.
use anchor_lang::{AnchorDeserialize, AnchorSerialize};
use anyhow::{anyhow, Result};
use io_oracle::ReportBody;

pub fn body_hex(body: &ReportBody) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = AnchorSerialize::serialize(body, &mut out);
    hex::encode(out)
}

pub fn body_from_hex(s: &str) -> Result<ReportBody> {
    let bytes = hex::decode(s).map_err(|e| anyhow!("report body is not hex: {e}"))?;
    ReportBody::deserialize(&mut bytes.as_slice()).map_err(|e| anyhow!("report body does not decode: {e}"))
}

pub fn bytes_from_hex<const N: usize>(what: &str, s: &str) -> Result<[u8; N]> {
    let v = hex::decode(s).map_err(|e| anyhow!("{what} is not hex: {e}"))?;
    <[u8; N]>::try_from(v.as_slice()).map_err(|_| anyhow!("{what}: expected {N} bytes, got {}", v.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_errors() {
        let b = ReportBody { period: 7, set_epoch: 2, expiry_slot: 99, ..Default::default() };
        assert_eq!(body_from_hex(&body_hex(&b)).unwrap(), b);
        assert!(body_from_hex("zz").unwrap_err().to_string().contains("not hex"));
        assert!(body_from_hex("00").unwrap_err().to_string().contains("does not decode"));
        assert!(bytes_from_hex::<32>("digest", "0011")
            .unwrap_err()
            .to_string()
            .contains("expected 32 bytes"));
    }
}
