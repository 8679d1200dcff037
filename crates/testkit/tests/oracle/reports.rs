use crate::common::*;
use solana_signer::Signer;

#[tokio::test]
async fn a_quorum_certifies_a_report_once() {
    let mut f = OracleFixture::new(4).await; // threshold 3
    assert_eq!(f.config().await.set.threshold, 3);
    let body = f.body(1).await;
    let report = f.post(body).await.unwrap();
    let r: Report = f.h.account(&report).await;
    assert_eq!((r.status, r.digest), (ReportStatus::Posted, f.digest(&body)));
    f.certify(&body, &[0, 2, 3]).await.unwrap();
    let r: Report = f.h.account(&report).await;
    assert_eq!((r.status, r.signers), (ReportStatus::Certified, 0b1101));
    let c = f.config().await;
    assert_eq!((c.last_period, c.reports_certified), (body.period, 1));
    // Replay of the same report, and another candidate for the same period.
    assert_error(f.certify(&body, &[0, 1, 2]).await, code(OracleError::AlreadyCertified));
    let mut other = body;
    other.usdc_per_io += 1;
    assert_error(f.post(other).await, code(OracleError::PeriodNotAfterLast));
}

#[tokio::test]
async fn quorum_and_membership_rejections() {
    let mut f = OracleFixture::new(4).await;
    let body = f.body(1).await;
    f.post(body).await.unwrap();
    let digest = f.digest(&body);
    let report = f.report(&body);
    // Fewer than M signatures.
    assert_error(f.certify(&body, &[0, 1]).await, code(OracleError::QuorumNotReached));
    // A signature by a non-member.
    let outsider = Keypair::new();
    let keys = vec![&f.oracles[0], &f.oracles[1], &outsider];
    let ed = quorum_instruction(&keys, &digest);
    assert_error(f.h.send(&[ed, sdk::certify_report(&report)], &[]).await, code(OracleError::NotAMember));
    // One signer counted twice.
    let keys = vec![&f.oracles[0], &f.oracles[1], &f.oracles[1]];
    let ed = quorum_instruction(&keys, &digest);
    assert_error(
        f.h.send(&[ed, sdk::certify_report(&report)], &[]).await,
        code(OracleError::DuplicateSigner),
    );
    // Valid signatures over a different message (another period's digest).
    let mut other = body;
    other.period -= 1;
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &f.digest(&other));
    assert_error(
        f.h.send(&[ed, sdk::certify_report(&report)], &[]).await,
        code(OracleError::MessageMismatch),
    );
    // No Ed25519 instruction before ours.
    assert_error(
        f.h.send(&[sdk::certify_report(&report)], &[]).await,
        code(OracleError::MissingEd25519Instruction),
    );
    // A fake account in place of the instructions sysvar.
    let mut ix = sdk::certify_report(&report);
    let fake = Pubkey::new_unique();
    ix.accounts[2].pubkey = fake;
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &digest);
    assert_error(f.h.send(&[ed, ix], &[]).await, anchor_code(AnchorError::ConstraintAddress));
    // A forged signature: the precompile itself fails the transaction.
    let mut sigs = sign_all(&f.keys(&[0, 1, 2]), &digest);
    sigs[1].1[0] ^= 1;
    let ed = sdk::ed25519_instruction(&sigs, &digest);
    let r = f.h.send(&[ed, sdk::certify_report(&report)], &[]).await;
    assert!(matches!(r, Err(solana_program_test::BanksClientError::TransactionError(_))), "{r:?}");
    assert_eq!(f.h.account::<Report>(&report).await.status, ReportStatus::Posted, "nothing changed");
    // After all that, a real quorum still certifies it.
    f.certify(&body, &[1, 2, 3]).await.unwrap();
}

/// Offsets that point into another instruction: the precompile verifies them (the bytes there
/// are valid), so only the program's own check stands between them and a forged quorum.
#[tokio::test]
async fn offsets_into_another_instruction_are_refused() {
    let mut f = OracleFixture::new(4).await;
    let body = f.body(1).await;
    f.post(body).await.unwrap();
    let digest = f.digest(&body);
    let report = f.report(&body);
    // ix 1 (after the harness's compute-budget ix 0): a self-contained Ed25519 instruction holding
    // valid signatures; ix 2: an Ed25519 instruction whose offsets all point into ix 1.
    let carrier = quorum_instruction(&f.keys(&[0, 1, 2]), &digest);
    for (sig_ix, pk_ix, msg_ix) in [(1u16, 1u16, 1u16), (u16::MAX, 1, u16::MAX), (u16::MAX, u16::MAX, 1)] {
        let mut pointer = carrier.clone();
        let n = pointer.data[0] as usize;
        for i in 0..n {
            let base = 2 + 14 * i;
            pointer.data[base + 2..base + 4].copy_from_slice(&sig_ix.to_le_bytes());
            pointer.data[base + 6..base + 8].copy_from_slice(&pk_ix.to_le_bytes());
            pointer.data[base + 12..base + 14].copy_from_slice(&msg_ix.to_le_bytes());
        }
        let r = f.h.send(&[carrier.clone(), pointer, sdk::certify_report(&report)], &[]).await;
        assert_error(r, code(OracleError::ForeignOffsets));
    }
}

#[tokio::test]
async fn period_expiry_and_future_edges() {
    let mut f = OracleFixture::new(3).await; // threshold 3
    let first = f.body(1).await;
    f.post(first).await.unwrap();
    // A period that has not started.
    let mut future = first;
    future.period += 1;
    f.post(future).await.unwrap();
    assert_error(f.certify(&future, &[0, 1, 2]).await, code(OracleError::FuturePeriod));
    f.certify(&first, &[0, 1, 2]).await.unwrap();
    // An earlier period after a later one.
    f.h.warp_seconds(2 * 3600).await;
    let next = f.body(1).await;
    let report = f.publish(next, 3).await;
    assert_eq!(f.h.account::<Report>(&report).await.status, ReportStatus::Certified);
    let mut earlier = next;
    earlier.period -= 1;
    earlier.usdc_per_io += 7; // not the candidate `future` posted for that period above
    assert_error(f.post(earlier).await, code(OracleError::PeriodNotAfterLast));
    // The period that was skipped cannot come back either: the candidate posted before is stale.
    assert_error(f.certify(&future, &[0, 1, 2]).await, code(OracleError::PeriodNotAfterLast));
    // An expired report: its last slot has passed.
    f.h.warp_seconds(3600).await;
    let mut late = f.body(1).await;
    late.expiry_slot = f.h.clock().await.slot;
    f.post(late).await.unwrap();
    f.h.warp_slots(5).await;
    assert_error(f.certify(&late, &[0, 1, 2]).await, code(OracleError::ReportExpired));
}

/// The largest quorum — eight signatures — fits one transaction with the certification.
#[tokio::test]
async fn an_eight_signature_certification_fits_in_1232_bytes() {
    let mut f = OracleFixture::new(8).await;
    assert_eq!(f.config().await.set.threshold, 6);
    let body = f.body(1).await;
    f.post(body).await.unwrap();
    let digest = f.digest(&body);
    let ed = quorum_instruction(&f.keys(&[0, 1, 2, 3, 4, 5, 6, 7]), &digest);
    let certify = sdk::certify_report(&f.report(&body));
    // Measure the transaction exactly as it goes on the wire: payer-signed, no compute-budget ix.
    let payer = f.h.payer().insecure_clone();
    let blockhash = f.h.latest_blockhash().await;
    let tx = solana_transaction::Transaction::new_signed_with_payer(
        &[ed, certify],
        Some(&payer.pubkey()),
        &[&payer],
        blockhash,
    );
    let size = bincode::serialize(&tx).unwrap().len();
    println!("8-signature certify_report transaction: {size} bytes");
    assert!(size <= 1232, "{size} bytes is over the 1,232-byte limit");
    f.h.process(tx).await.unwrap();
    assert_eq!(f.h.account::<Report>(&f.report(&body)).await.signers, 0xFF);
}

/// §2.D cases 1–2: the Ed25519 instruction must be the one right before ours — not two before,
/// not after — and must carry at least one signature.
#[tokio::test]
async fn the_ed25519_instruction_must_come_right_before_and_be_non_empty() {
    let mut f = OracleFixture::new(3).await;
    let body = f.body(1).await;
    let report = f.post(body).await.unwrap();
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &f.digest(&body));
    let payer = f.h.payer().pubkey();
    let between = solana_system_interface::instruction::transfer(&payer, &payer, 1);
    let missing = code(OracleError::MissingEd25519Instruction);
    let r = f.h.send(&[ed.clone(), between, sdk::certify_report(&report)], &[]).await;
    assert_error(r, missing);
    assert_error(f.h.send(&[sdk::certify_report(&report), ed.clone()], &[]).await, missing);
    // A precompile instruction with no signature at all verifies nothing.
    let empty = Instruction { program_id: sdk::ED25519_PROGRAM_ID, accounts: vec![], data: vec![0, 0] };
    assert_error(
        f.h.send(&[empty, sdk::certify_report(&report)], &[]).await,
        code(OracleError::MalformedEd25519),
    );
    f.h.send(&[ed, sdk::certify_report(&report)], &[]).await.unwrap();
}
