//! The typed intents: what each outbox row asks for, how to tell it is already done on chain (by
//! anyone: this node earlier, another node), and the instructions that do it. The row's key
//! names the effect, so a second intent for the same effect is the same row.
use crate::{consensus::codec, node::Node};
use anchor_spl::associated_token::{
    get_associated_token_address,
    spl_associated_token_account::instruction::create_associated_token_account_idempotent,
};
use anyhow::{anyhow, Result};
use io_escrow::{Lease, LeaseStatus};
use io_oracle::{Report, ReportStatus};
use io_sdk::{oracle, Instruction, Pubkey};
use io_staking::{Device, DeviceStatus, Operator, Slash, SlashStatus};
use serde::{Deserialize, Serialize};

/// One intended transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// `post_report(body)`: the candidate of a period (body: borsh hex).
    PostReport { body: String },
    /// The Ed25519 instruction with the quorum's signatures over the digest, then
    /// `certify_report`. `signatures`: (base58 key, hex signature).
    Certify { body: String, signatures: Vec<(String, String)> },
    /// Both of a member's signatures over two contents of one period in one Ed25519
    /// instruction, then `prove_equivocation`.
    ProveEquivocation {
        oracle: String,
        body_a: String,
        signature_a: String,
        body_b: String,
        signature_b: String,
    },
    /// io_token's hourly `emit` (noticed after the certification of `period`).
    Emit { period: u64 },
    /// `claim_operator_rewards` up to `cumulative` by the rewards leaf of `report`.
    Claim { report: String, operator: String, cumulative: u64, proof: Vec<String> },
    /// `apply_device_report` of the devices leaf of `report` (period `period`).
    DeviceReport {
        report: String,
        period: u64,
        operator: String,
        device: String,
        class: u8,
        green: bool,
        active: bool,
        proof: Vec<String>,
    },
    /// `settle_attested` of the usage leaf `(lease, device, seconds)` of `report`.
    Settle { report: String, lease: String, device: String, seconds: u64, proof: Vec<String> },
    /// `finalize_lease` once the lease's end and the settlement grace have passed.
    Finalize { lease: String },
    /// `propose_slash_from_report` of the slashes leaf of `report`.
    ProposeSlash { report: String, operator: String, amount: u64, evidence_hash: String, proof: Vec<String> },
    /// `execute_slash` after the appeal window.
    ExecuteSlash { operator: String, slash: String },
}

/// Whether an intent still has something to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chain {
    /// Its effect is on chain already.
    Done,
    /// It can be sent now.
    Due,
    /// Not yet (what it depends on has not landed); says what it waits for.
    Waiting(String),
}

fn hashes(proof: &[String]) -> Result<Vec<[u8; 32]>> {
    proof.iter().map(|h| codec::bytes_from_hex::<32>("proof hash", h)).collect()
}

async fn escrow_config(node: &Node) -> Result<io_escrow::EscrowConfig> {
    node.client
        .account::<io_escrow::EscrowConfig>(&io_sdk::escrow::config())
        .await?
        .ok_or_else(|| anyhow!("io_escrow is not initialized"))
}

fn key_of(s: &str) -> Result<Pubkey> {
    s.parse().map_err(|_| anyhow!("{s:?} is not a base58 key"))
}

impl Action {
    /// The unique key of the effect.
    pub fn key(&self, cluster_id: &[u8; 32]) -> Result<String> {
        Ok(match self {
            Action::PostReport { body } => {
                let b = codec::body_from_hex(body)?;
                format!("post_report:{}:{}", b.period, hex::encode(io_oracle::report_digest(cluster_id, &b)))
            }
            Action::Certify { body, .. } => {
                let b = codec::body_from_hex(body)?;
                format!("certify:{}:{}", b.period, hex::encode(io_oracle::report_digest(cluster_id, &b)))
            }
            Action::ProveEquivocation { oracle, body_a, .. } => {
                format!("equivocation:{oracle}:{}", codec::body_from_hex(body_a)?.period)
            }
            Action::Emit { period } => format!("emit:{period}"),
            Action::Claim { operator, cumulative, .. } => format!("claim:{operator}:{cumulative}"),
            Action::DeviceReport { device, period, .. } => format!("device:{device}:{period}"),
            Action::Settle { lease, device, seconds, .. } => format!("settle:{lease}:{device}:{seconds}"),
            Action::Finalize { lease } => format!("finalize:{lease}"),
            Action::ProposeSlash { operator, evidence_hash, .. } => {
                format!("slash:{operator}:{evidence_hash}")
            }
            Action::ExecuteSlash { slash, .. } => format!("execute_slash:{slash}"),
        })
    }

    /// Whether its transaction exceeds the legacy format (sent as v0 with a lookup table).
    pub fn needs_lookup_table(&self) -> bool {
        matches!(self, Action::ProveEquivocation { .. })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Action::PostReport { .. } => "post_report",
            Action::Certify { .. } => "certify",
            Action::ProveEquivocation { .. } => "prove_equivocation",
            Action::Emit { .. } => "emit",
            Action::Claim { .. } => "claim",
            Action::DeviceReport { .. } => "device_report",
            Action::Settle { .. } => "settle",
            Action::Finalize { .. } => "finalize",
            Action::ProposeSlash { .. } => "propose_slash",
            Action::ExecuteSlash { .. } => "execute_slash",
        }
    }

    /// Reads the chain: done already, due, or waiting.
    pub async fn state(&self, node: &Node) -> Result<Chain> {
        match self {
            Action::PostReport { body } => {
                let b = codec::body_from_hex(body)?;
                let addr = oracle::report(&node.cluster_id, &b);
                if node.client.account::<Report>(&addr).await?.is_some() {
                    return Ok(Chain::Done);
                }
                let cfg = crate::chain::oracle_config(&node.client).await?;
                Ok(if cfg.last_period >= b.period { Chain::Done } else { Chain::Due })
            }
            Action::Certify { body, .. } => {
                let b = codec::body_from_hex(body)?;
                let cfg = crate::chain::oracle_config(&node.client).await?;
                if cfg.last_period >= b.period {
                    return Ok(Chain::Done);
                }
                let addr = oracle::report(&node.cluster_id, &b);
                Ok(match node.client.account::<Report>(&addr).await? {
                    Some(r) if r.status == ReportStatus::Certified => Chain::Done,
                    Some(_) => Chain::Due,
                    None => Chain::Waiting(format!(
                        "the candidate {addr} of period {} is not posted yet",
                        b.period
                    )),
                })
            }
            Action::ProveEquivocation { oracle, body_a, .. } => {
                let o = key_of(oracle)?;
                let period = codec::body_from_hex(body_a)?.period;
                let addr = oracle::equivocation(&o, period);
                if node.client.account_data(&addr).await?.is_some() {
                    return Ok(Chain::Done);
                }
                // The proof removes the member, and the set's epoch moves with it: the honest
                // report of that period, signed under the old epoch, would then never certify.
                // So the period's report goes first, unless it is two periods late (then the
                // proof cannot wait on it any longer).
                let cfg = crate::chain::oracle_config(&node.client).await?;
                Ok(if cfg.last_period < period && node.clock.period() <= period.saturating_add(2) {
                    Chain::Waiting(format!("period {period}'s report is certified first"))
                } else {
                    Chain::Due
                })
            }
            Action::Emit { .. } => {
                let t = crate::chain::token_config(&node.client).await?;
                let due = io_token::schedule::hours_due(t.emission.start_ts, node.clock.now()).unwrap_or(0);
                Ok(if t.emission.start_ts > 0 && due > t.emission.next_hour {
                    Chain::Due
                } else {
                    Chain::Done
                })
            }
            Action::Claim { operator, cumulative, .. } => {
                let op = node.client.account::<Operator>(&key_of(operator)?).await?;
                Ok(match op {
                    Some(o) if o.rewards_claimed_cumulative < *cumulative => Chain::Due,
                    _ => Chain::Done,
                })
            }
            Action::DeviceReport { device, period, .. } => {
                let d = node.client.account::<Device>(&key_of(device)?).await?;
                Ok(match d {
                    Some(d) if d.attested_period < *period && d.status != DeviceStatus::Retired => Chain::Due,
                    _ => Chain::Done,
                })
            }
            Action::Settle { lease, device, seconds, .. } => {
                let (l, d) = (key_of(lease)?, key_of(device)?);
                Ok(match node.client.account::<Lease>(&l).await? {
                    Some(lease) if lease.status != LeaseStatus::Closed => {
                        match lease.devices.iter().find(|x| x.device == d) {
                            Some(x) if x.attested_seconds < *seconds => Chain::Due,
                            _ => Chain::Done,
                        }
                    }
                    _ => Chain::Done,
                })
            }
            Action::Finalize { lease } => {
                let l = key_of(lease)?;
                let Some(lease) = node.client.account::<Lease>(&l).await? else { return Ok(Chain::Done) };
                if lease.status == LeaseStatus::Closed {
                    return Ok(Chain::Done);
                }
                let grace = escrow_config(node).await?.params.settlement_grace_secs;
                let at = lease.end_ts.saturating_add(grace);
                Ok(if node.clock.now() > at {
                    Chain::Due
                } else {
                    Chain::Waiting(format!("the settlement grace ends at {at}"))
                })
            }
            Action::ProposeSlash { operator, evidence_hash, .. } => {
                let h = codec::bytes_from_hex::<32>("evidence hash", evidence_hash)?;
                let addr = io_sdk::staking::slash(&key_of(operator)?, &h);
                Ok(if node.client.account_data(&addr).await?.is_some() { Chain::Done } else { Chain::Due })
            }
            Action::ExecuteSlash { slash, .. } => {
                let Some(sl) = node.client.account::<Slash>(&key_of(slash)?).await? else {
                    return Ok(Chain::Waiting("the slash is not proposed yet".into()));
                };
                if sl.status != SlashStatus::Pending {
                    return Ok(Chain::Done);
                }
                Ok(if node.clock.now() >= sl.executable_ts {
                    Chain::Due
                } else {
                    Chain::Waiting(format!("the appeal window ends at {}", sl.executable_ts))
                })
            }
        }
    }

    /// The instructions of its one transaction (the node's key pays and signs).
    pub async fn instructions(&self, node: &Node) -> Result<Vec<Instruction>> {
        let me = node.pubkey();
        match self {
            Action::PostReport { body } => {
                Ok(vec![oracle::post_report(&me, &node.cluster_id, codec::body_from_hex(body)?)])
            }
            Action::Certify { body, signatures } => {
                let b = codec::body_from_hex(body)?;
                let digest = io_oracle::report_digest(&node.cluster_id, &b);
                let sigs = signatures
                    .iter()
                    .map(|(k, s)| Ok((key_of(k)?.to_bytes(), codec::bytes_from_hex::<64>("signature", s)?)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(vec![
                    oracle::ed25519_instruction(&sigs, &digest),
                    oracle::certify_report(&oracle::report(&node.cluster_id, &b)),
                ])
            }
            Action::ProveEquivocation { oracle: o, body_a, signature_a, body_b, signature_b } => {
                let key = key_of(o)?;
                let (a, b) = (codec::body_from_hex(body_a)?, codec::body_from_hex(body_b)?);
                let (da, db) = (
                    io_oracle::report_digest(&node.cluster_id, &a),
                    io_oracle::report_digest(&node.cluster_id, &b),
                );
                let sa = codec::bytes_from_hex::<64>("signature", signature_a)?;
                let sb = codec::bytes_from_hex::<64>("signature", signature_b)?;
                let cfg = crate::chain::oracle_config(&node.client).await?;
                Ok(vec![
                    oracle::ed25519_instruction_multi(&[
                        ((key.to_bytes(), sa), da.as_slice()),
                        ((key.to_bytes(), sb), db.as_slice()),
                    ]),
                    oracle::prove_equivocation(&me, &cfg.io_mint, key, a, b),
                ])
            }
            Action::Emit { .. } => Ok(vec![io_sdk::token::emit()]),
            Action::Claim { report, operator, cumulative, proof } => {
                let op = key_of(operator)?;
                let positions = crate::chain::warming_positions(&node.client, &op).await?;
                Ok(vec![io_sdk::staking::claim_operator_rewards(
                    &op,
                    &key_of(report)?,
                    &io_sdk::token::mint(),
                    *cumulative,
                    hashes(proof)?,
                    &positions,
                )])
            }
            Action::DeviceReport { report, operator, device, class, green, active, proof, .. } => {
                Ok(vec![io_sdk::staking::apply_device_report(
                    &key_of(operator)?,
                    &key_of(device)?,
                    &key_of(report)?,
                    *class,
                    *green,
                    *active,
                    hashes(proof)?,
                )])
            }
            Action::Settle { report, lease, device, seconds, proof } => {
                let (l, d) = (key_of(lease)?, key_of(device)?);
                let lease =
                    node.client.account::<Lease>(&l).await?.ok_or_else(|| anyhow!("lease {l} is gone"))?;
                let index = lease
                    .devices
                    .iter()
                    .position(|x| x.device == d)
                    .ok_or_else(|| anyhow!("device {d} is not in lease {l}"))?;
                let payee = lease.devices[index].operator_authority;
                let provider_token = get_associated_token_address(&payee, &lease.payment_mint);
                Ok(vec![
                    create_associated_token_account_idempotent(
                        &me,
                        &payee,
                        &lease.payment_mint,
                        &anchor_spl::token::ID,
                    ),
                    io_sdk::escrow::settle_attested(
                        &l,
                        &lease.payment_mint,
                        &provider_token,
                        &key_of(report)?,
                        u8::try_from(index)?,
                        *seconds,
                        hashes(proof)?,
                    ),
                ])
            }
            Action::Finalize { lease } => {
                let l = key_of(lease)?;
                let lease =
                    node.client.account::<Lease>(&l).await?.ok_or_else(|| anyhow!("lease {l} is gone"))?;
                let renter_token = get_associated_token_address(&lease.renter, &lease.payment_mint);
                Ok(vec![
                    create_associated_token_account_idempotent(
                        &me,
                        &lease.renter,
                        &lease.payment_mint,
                        &anchor_spl::token::ID,
                    ),
                    io_sdk::escrow::finalize_lease(&l, &lease.payment_mint, &renter_token),
                ])
            }
            Action::ProposeSlash { report, operator, amount, evidence_hash, proof } => {
                Ok(vec![io_sdk::staking::propose_slash_from_report(
                    &me,
                    &key_of(operator)?,
                    &key_of(report)?,
                    *amount,
                    codec::bytes_from_hex::<32>("evidence hash", evidence_hash)?,
                    hashes(proof)?,
                )])
            }
            Action::ExecuteSlash { operator, slash } => Ok(vec![io_sdk::staking::execute_slash(
                &key_of(operator)?,
                &key_of(slash)?,
                &io_sdk::token::mint(),
            )]),
        }
    }
}
