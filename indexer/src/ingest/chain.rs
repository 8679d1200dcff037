//! Is the node on the database's chain? A local network restarted with a fresh genesis (as
//! `make up`'s does on every start) is another chain: indexing it into the same database would
//! mix both chains' events and report lag against a slot that no longer exists. The genesis
//! hash says which chain a node serves; a cursor signature the node does not know says it
//! forked or rolled back below what the database holds.
use super::rpc::Rpc;
use super::IngestError;
use crate::decode::Program;
use crate::store::Store;

/// What the node is to the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Same,
    /// Another chain or a fork, in words (what was found, what to do).
    Other(String),
}

const WHAT_TO_DO: &str = "start the indexer with --reset-on-new-chain (ingest.reset_on_new_chain = true) to wipe \
                          the database and index the node's chain, or point it at a node of the database's chain";

/// Compares the node's genesis hash with the recorded one; records it in a database that has
/// none (a new database, or one indexed before the hash was kept).
pub async fn check(store: &Store, rpc: &Rpc) -> Result<Verdict, IngestError> {
    let genesis = rpc.genesis_hash().await?;
    match store.chain_identity().await? {
        None => {
            store.record_chain(&genesis, rpc.url()).await?;
            tracing::info!(genesis = %genesis, "chain recorded");
            Ok(Verdict::Same)
        }
        Some(id) if id.genesis_hash == genesis => Ok(Verdict::Same),
        Some(id) => Ok(Verdict::Other(format!(
            "the node at {} serves another chain (genesis {genesis}) than the database holds (genesis {}, \
             first read from {}): {WHAT_TO_DO}",
            rpc.url(),
            id.genesis_hash,
            id.rpc_url
        ))),
    }
}

/// [`check`], then whether the node knows every program's cursor signature.
pub async fn verify(store: &Store, rpc: &Rpc) -> Result<Verdict, IngestError> {
    let v = check(store, rpc).await?;
    if v != Verdict::Same {
        return Ok(v);
    }
    let mut cursors = Vec::new();
    for p in Program::ALL {
        if let Some(c) = store.cursor(p.name()).await?.filter(|c| !c.last_signature.is_empty()) {
            cursors.push(c);
        }
    }
    if cursors.is_empty() {
        return Ok(Verdict::Same);
    }
    let sigs: Vec<String> = cursors.iter().map(|c| c.last_signature.clone()).collect();
    let known = rpc.known_signatures(&sigs).await?;
    match cursors.iter().zip(known).find(|(_, k)| !k) {
        None => Ok(Verdict::Same),
        Some((c, _)) => Ok(Verdict::Other(format!(
            "the node at {} does not know {}'s cursor signature {} (slot {}): it forked or rolled back below \
             what the database holds: {WHAT_TO_DO}",
            rpc.url(),
            c.program,
            c.last_signature,
            c.last_slot
        ))),
    }
}
