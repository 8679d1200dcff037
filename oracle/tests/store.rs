//! The reports and outbox tables on both backends: SQLite (a file) and PostgreSQL (a throwaway
//! server, io-indexer's test helper), the same queries through sqlx's Any driver.
use io_oracle_node::store::{outbox::Status, reports::SignatureRow, Store};

async fn exercise(store: &Store) {
    // Reports: a proposed one, then certified; the certified one comes first.
    store.report_put(7, "aa", "{\"r\":1}", false).await.unwrap();
    store.report_put(7, "bb", "{\"r\":2}", false).await.unwrap();
    assert_eq!(store.latest_certified().await.unwrap(), None);
    store.report_put(7, "bb", "{\"ignored\":true}", true).await.unwrap();
    let all = store.reports_of(7).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].digest.as_str(), all[0].status.as_str(), all[0].report.as_str()),
        ("bb", "certified", "{\"r\":2}")
    );
    assert_eq!(store.latest_certified().await.unwrap(), Some(7));
    assert!(store.reports_of(8).await.unwrap().is_empty());

    // One content per period: the first record stays.
    let first = store.sign_once(7, "aa", "body-a").await.unwrap();
    assert_eq!((first.digest.as_str(), first.body.as_str()), ("aa", "body-a"));
    let again = store.sign_once(7, "cc", "body-c").await.unwrap();
    assert_eq!((again.digest.as_str(), again.body.as_str()), ("aa", "body-a"));
    assert_eq!(store.signed_for(9).await.unwrap(), None);

    // Signatures: idempotent, listed per period.
    let s = SignatureRow {
        period: 7,
        signer: "K".into(),
        digest: "aa".into(),
        body: "b".into(),
        signature: "s".into(),
    };
    store.signature_put(&s).await.unwrap();
    store.signature_put(&s).await.unwrap();
    store.signature_put(&SignatureRow { digest: "cc".into(), ..s.clone() }).await.unwrap();
    assert_eq!(store.signatures_of(7).await.unwrap().len(), 2);

    // The outbox: unique keys, the open rows oldest first, marks, counts by status.
    assert!(store.outbox_insert("certify:7:aa", "certify", "{}").await.unwrap());
    assert!(!store.outbox_insert("certify:7:aa", "certify", "{\"other\":1}").await.unwrap());
    assert!(store.outbox_insert("emit:7", "emit", "{}").await.unwrap());
    let open = store.outbox_open(10).await.unwrap();
    assert_eq!(open.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["certify:7:aa", "emit:7"]);
    assert_eq!((open[0].status, open[0].attempts, open[0].params.as_str()), (Status::Pending, 0, "{}"));
    store.outbox_mark(open[0].id, Status::Sent, Some("sig"), None).await.unwrap();
    store.outbox_mark(open[1].id, Status::Failed, None, Some("refused: why")).await.unwrap();
    let row = store.outbox_get("certify:7:aa").await.unwrap().unwrap();
    assert_eq!((row.status, row.signature.as_deref(), row.attempts), (Status::Sent, Some("sig"), 1));
    let failed = store.outbox_get("emit:7").await.unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.error.as_deref(), failed.signature),
        (Status::Failed, Some("refused: why"), None)
    );
    assert_eq!(store.outbox_open(10).await.unwrap().len(), 1);
    store.outbox_mark(row.id, Status::Confirmed, Some("sig"), None).await.unwrap();
    let counts = store.outbox_counts().await.unwrap();
    let n = |s: Status| counts.iter().find(|(x, _)| *x == s).unwrap().1;
    assert_eq!((n(Status::Confirmed), n(Status::Failed), n(Status::Pending), n(Status::Sent)), (1, 1, 0, 0));
    assert_eq!(store.outbox_of_kind("emit").await.unwrap().len(), 1);
}

#[tokio::test]
async fn reports_and_outbox_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("o.db").display());
    exercise(&Store::open(&url, 2).await.unwrap()).await;
}

#[tokio::test]
async fn reports_and_outbox_on_postgres() {
    let url = io_indexer::pgtemp::fresh_database().await;
    exercise(&Store::open(&url, 2).await.unwrap()).await;
}
