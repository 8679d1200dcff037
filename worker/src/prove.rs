//! Challenges: whether to answer one (who signed it, for whom, what sizes), and the answer
//! itself with io-proof (the chain, the signed commitment, the openings).
use crate::chain::Chain;
use ed25519_dalek::SigningKey;
use io_proof::{Backend, Challenge, CpuBackend, Prover};
use io_sdk::{
    worker::{Answer, ChallengeRequest, Kind, Signed, PROTOCOL_VERSION},
    Pubkey,
};
use io_staking::HardwareClass;

/// Who this worker is: the key, the device it serves, and how it answers.
pub struct Identity {
    pub worker: Pubkey,
    secret: [u8; 32],
    pub device: Pubkey,
    pub class: HardwareClass,
    pub simulated: bool,
    /// The cluster's genesis hash, base58.
    pub cluster: String,
    /// Testing only (`io-worker run --testing-wrong-rows`, simulated devices on a local network):
    /// commit a chain with one wrong value in every row, so that every opened row is wrong and the
    /// node's verifier rejects the answer with wrong rows — real evidence for the slashing path.
    pub wrong_rows: bool,
}

impl Identity {
    pub fn new(
        key: &solana_keypair::Keypair,
        device: Pubkey,
        class: HardwareClass,
        simulated: bool,
        cluster: String,
    ) -> Self {
        use solana_signer::Signer;
        Identity {
            worker: key.pubkey(),
            secret: *key.secret_bytes(),
            device,
            class,
            simulated,
            cluster,
            wrong_rows: false,
        }
    }

    pub fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.secret)
    }
}

/// The checks on a challenge that need no chain: it is for this cluster, device and key; its
/// sizes are this device's (the class's, or the light ones when simulated, never others: a node
/// cannot make a worker run an oversized chain); its deadline has not passed. Returns
/// io-proof's challenge, or why the worker declines it.
pub fn check_request(
    id: &Identity,
    signer: &Pubkey,
    req: &ChallengeRequest,
    now_ms: u64,
) -> Result<Challenge, String> {
    if req.oracle != signer.to_string() {
        return Err(format!("it names oracle {} but is signed by {signer}", req.oracle));
    }
    if req.cluster != id.cluster {
        return Err(format!("it is for cluster {}, this worker is on {}", req.cluster, id.cluster));
    }
    if req.device != id.worker.to_string() || req.device_account != id.device.to_string() {
        return Err(format!(
            "it is for device {} (key {}), this worker is device {} (key {})",
            req.device_account, req.device, id.device, id.worker
        ));
    }
    let expected = io_sdk::worker::proof::expected_params(id.class, id.simulated);
    let got = io_proof::Params { n: req.n, k: req.k, samples: req.samples, deadline_ms: req.deadline_ms };
    if req.simulated != id.simulated || got != expected {
        return Err(format!(
            "its sizes (n={}, K={}, s={}, deadline {} ms{}) are not this device's (n={}, K={}, s={}, deadline {} ms{})",
            got.n,
            got.k,
            got.samples,
            got.deadline_ms,
            if req.simulated { ", simulated" } else { "" },
            expected.n,
            expected.k,
            expected.samples,
            expected.deadline_ms,
            if id.simulated { ", simulated" } else { "" },
        ));
    }
    let late = now_ms.saturating_sub(req.issued_at_ms);
    if late > req.deadline_ms {
        return Err(format!("its deadline passed {} ms ago", late - req.deadline_ms));
    }
    io_sdk::worker::proof::challenge(req)
}

/// Opens a signed challenge and checks it, the signer's membership in io_oracle's set included.
pub async fn check(
    id: &Identity,
    chain: &Chain,
    signed: &Signed,
    now_ms: u64,
) -> Result<(ChallengeRequest, Challenge), String> {
    let (signer, req): (Pubkey, ChallengeRequest) =
        signed.open(Kind::Challenge).map_err(|e| e.to_string())?;
    let challenge = check_request(id, &signer, &req, now_ms)?;
    match chain.oracle_may_sign(&signer).await {
        Ok(true) => Ok((req, challenge)),
        Ok(false) => Err(format!("its signer {signer} is not a member of the on-chain oracle set")),
        Err(e) => Err(format!("the oracle set could not be read to check its signer {signer}: {e}")),
    }
}

/// The backend that proves for this device: the GPU with the `cuda` feature (GPU classes, not
/// simulated), otherwise the CPU.
pub fn backend(id: &Identity) -> Box<dyn Backend> {
    #[cfg(feature = "cuda")]
    if id.class != HardwareClass::Cpu && !id.simulated {
        match io_proof::backend::cuda::CudaBackend::new() {
            Ok(b) => return Box::new(b),
            Err(e) => tracing::warn!("CUDA backend unavailable ({e}); proving on the CPU"),
        }
    }
    let _ = id;
    Box::new(CpuBackend::new())
}

/// Whether this worker can meet its class's deadlines with the backend it has; the reason when
/// not (said at start-up: a GPU class's chain on the CPU runs for hours and needs K·n² bytes).
pub fn backend_warning(id: &Identity) -> Option<String> {
    if id.class == HardwareClass::Cpu || id.simulated {
        return None;
    }
    let p = io_sdk::worker::proof::expected_params(id.class, false);
    let on_cpu = format!(
        "challenges of this class (n = {}, K = {}) would run on the CPU and miss the {} ms deadline",
        p.n, p.k, p.deadline_ms
    );
    #[cfg(feature = "cuda")]
    {
        io_proof::backend::cuda::CudaBackend::new().err().map(|e| format!("{e}: {on_cpu}"))
    }
    #[cfg(not(feature = "cuda"))]
    Some(format!("this io-worker was built without the `cuda` feature: {on_cpu}; rebuild with `cargo build -p io-worker --features cuda`"))
}

/// Runs the chain (CPU-bound: call from a blocking thread). A cheating identity (`wrong_rows`)
/// changes the first value of every row of every product before it is committed: the rows open
/// consistently with the committed root (their paths check), but none is A·B — the verifier's
/// wrong-row rejection, whichever rows the reveal samples. The same challenge gives the same
/// wrong chain, so a restart recomputes the committed root.
pub fn run(id: &Identity, challenge: &Challenge) -> Result<Prover, String> {
    let mut b = backend(id);
    if id.wrong_rows {
        let n = challenge.params.n as usize;
        return Prover::run_with(challenge, b.as_mut(), |_, c| {
            for row in c.chunks_mut(n.max(1)) {
                row[0] = row[0].wrapping_add(1);
            }
        })
        .map_err(|e| e.to_string());
    }
    Prover::run(challenge, b.as_mut()).map_err(|e| e.to_string())
}

/// The signed answer for `reveal`.
pub fn answer(id: &Identity, prover: &Prover, reveal: &[u8; 32]) -> Result<Signed, String> {
    let openings = prover.open(reveal).map_err(|e| e.to_string())?;
    let body = Answer {
        version: PROTOCOL_VERSION,
        cluster: id.cluster.clone(),
        challenge_id: io_sdk::worker::Bytes32(prover.challenge_id()),
        openings: openings.iter().map(io_sdk::worker::proof::opening_msg).collect(),
    };
    Ok(Signed::sign(Kind::Answer, &body, id.secret()))
}

/// The io-proof challenge of a stored request (after a restart).
pub fn stored_challenge(signed: &Signed) -> Result<Challenge, String> {
    let req: ChallengeRequest = serde_json::from_str(&signed.payload).map_err(|e| e.to_string())?;
    io_sdk::worker::proof::challenge(&req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use io_sdk::worker::Bytes32;

    fn id() -> Identity {
        let key = solana_keypair::Keypair::new_from_array([5; 32]);
        Identity::new(&key, Pubkey::new_from_array([6; 32]), HardwareClass::Cpu, false, "genesis".into())
    }

    fn req(id: &Identity, oracle: &Pubkey) -> ChallengeRequest {
        let p = io_sdk::worker::proof::expected_params(id.class, id.simulated);
        ChallengeRequest {
            version: PROTOCOL_VERSION,
            cluster: id.cluster.clone(),
            oracle: oracle.to_string(),
            device_account: id.device.to_string(),
            device: id.worker.to_string(),
            class: "cpu".into(),
            simulated: false,
            n: p.n,
            k: p.k,
            samples: p.samples,
            deadline_ms: p.deadline_ms,
            beacon: Bytes32([1; 32]),
            nonce: Bytes32([2; 32]),
            reveal_commitment: Bytes32([3; 32]),
            issued_at_ms: 1_000,
        }
    }

    #[test]
    fn a_challenge_for_this_device_passes() {
        let (id, o) = (id(), Pubkey::new_from_array([7; 32]));
        let c = check_request(&id, &o, &req(&id, &o), 2_000).unwrap();
        assert_eq!(c.device, id.worker.to_bytes());
        assert_eq!(c.params, io_proof::HardwareClass::Cpu.params());
    }

    #[test]
    fn each_wrong_field_is_declined_with_its_reason() {
        let (id, o) = (id(), Pubkey::new_from_array([7; 32]));
        let base = req(&id, &o);
        let other = Pubkey::new_from_array([8; 32]);
        let cases: Vec<(ChallengeRequest, Pubkey, u64, &str)> = vec![
            (base.clone(), other, 2_000, "is signed by"),
            (ChallengeRequest { cluster: "devnet".into(), ..base.clone() }, o, 2_000, "for cluster devnet"),
            (
                ChallengeRequest { device: other.to_string(), ..base.clone() },
                o,
                2_000,
                "this worker is device",
            ),
            (ChallengeRequest { n: 4096, ..base.clone() }, o, 2_000, "sizes (n=4096"),
            (ChallengeRequest { simulated: true, ..base.clone() }, o, 2_000, "simulated"),
            (base.clone(), o, 1_000 + base.deadline_ms + 5, "deadline passed 5 ms ago"),
        ];
        for (r, signer, now, expect) in cases {
            let e = check_request(&id, &signer, &r, now).unwrap_err();
            assert!(e.contains(expect), "{expect:?} not in {e:?}");
        }
    }

    /// The cheating switch: the chain commits and opens consistently, and io-proof's verifier
    /// rejects the answer with a wrong row (an honest identity's answer to the same challenge
    /// passes).
    #[test]
    fn wrong_rows_are_caught_as_wrong_rows() {
        let key = solana_keypair::Keypair::new_from_array([5; 32]);
        let mut id =
            Identity::new(&key, Pubkey::new_from_array([6; 32]), HardwareClass::Cpu, true, "g".into());
        let params = io_sdk::worker::proof::expected_params(id.class, true);
        let verdict = |id: &Identity| {
            let round = io_proof::Round::new(params, [9; 32], [8; 32]).unwrap();
            let challenge = round.challenge(id.worker.to_bytes(), [7; 32], 1_000);
            let prover = run(id, &challenge).unwrap();
            let openings = prover.open(&round.reveal()).unwrap();
            io_proof::Verifier::new(round).verify(
                &challenge,
                &prover.commit(&id.signing_key()),
                1_001,
                &openings,
            )
        };
        assert!(verdict(&id).is_ok());
        id.wrong_rows = true;
        assert!(matches!(verdict(&id), Err(io_proof::Reject::WrongRow { .. })), "{:?}", verdict(&id));
    }

    #[test]
    fn a_simulated_device_answers_light_sizes_only() {
        let mut id = id();
        id.simulated = true;
        let o = Pubkey::new_from_array([7; 32]);
        let light = ChallengeRequest { simulated: true, ..req(&id, &o) };
        assert_eq!(light.n, io_proof::HardwareClass::Cpu.light_params().n);
        check_request(&id, &o, &light, 2_000).unwrap();
        let full = io_proof::HardwareClass::Cpu.params();
        let r = ChallengeRequest {
            n: full.n,
            k: full.k,
            samples: full.samples,
            deadline_ms: full.deadline_ms,
            ..light
        };
        assert!(check_request(&id, &o, &r, 2_000).unwrap_err().contains("are not this device's"));
    }
}
