//! Transactions too large for the legacy format. `prove_equivocation` carries two report bodies
//! and two signatures beside fourteen accounts: about 1.3 kB, over the 1,232-byte limit. It goes
//! as a v0 transaction whose accounts (all but the payer and the invoked programs) are loaded
//! from an address lookup table this node creates for it (one byte per account instead of 32).
use crate::node::Node;
use io_sdk::{client::ClientError, Instruction, Pubkey};
use solana_address_lookup_table_interface::instruction::{create_lookup_table, extend_lookup_table};
use solana_message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_transaction::versioned::VersionedTransaction;
use std::time::Duration;

fn rpc_error(node: &Node, detail: String) -> ClientError {
    ClientError::Rpc { url: node.client.url().to_string(), detail }
}

/// The accounts of `ixs` a lookup table may carry: neither a signer nor an invoked program.
fn table_addresses(ixs: &[Instruction], payer: &Pubkey) -> Vec<Pubkey> {
    let programs: Vec<Pubkey> = ixs.iter().map(|ix| ix.program_id).collect();
    let mut out: Vec<Pubkey> = vec![];
    for m in ixs.iter().flat_map(|ix| ix.accounts.iter()) {
        if !m.is_signer && m.pubkey != *payer && !programs.contains(&m.pubkey) && !out.contains(&m.pubkey) {
            out.push(m.pubkey);
        }
    }
    out
}

/// Creates a lookup table of `ixs`' accounts, waits until it is usable (the slot after its
/// extension), then sends `ixs` in one v0 transaction signed by the node's key. The node's
/// preflight still refuses (explained) a transaction that would fail.
pub async fn send(node: &Node, ixs: &[Instruction]) -> Result<String, ClientError> {
    let me = node.pubkey();
    let addresses = table_addresses(ixs, &me);
    let slot = node.client.rpc.get_slot().await.map_err(|e| node.client.error(&e))?;
    let (create, table) = create_lookup_table(me, me, slot.saturating_sub(1));
    let extend = extend_lookup_table(table, me, Some(me), addresses.clone());
    node.client.send(&[create, extend], &[]).await?;
    let ready = node.client.rpc.get_slot().await.map_err(|e| node.client.error(&e))?.saturating_add(1);
    for _ in 0..200 {
        if node.client.rpc.get_slot().await.map_err(|e| node.client.error(&e))? > ready {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let blockhash = node.client.rpc.get_latest_blockhash().await.map_err(|e| node.client.error(&e))?;
    let lookup = AddressLookupTableAccount { key: table, addresses };
    let message = v0::Message::try_compile(&me, ixs, &[lookup], blockhash)
        .map_err(|e| rpc_error(node, format!("compile the v0 message: {e}")))?;
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&node.key])
        .map_err(|e| rpc_error(node, format!("sign the v0 transaction: {e}")))?;
    let sig = node
        .client
        .rpc
        .send_transaction(&tx)
        .await
        .map_err(|e| io_sdk::client::classify(node.client.url(), &e, ixs))?;
    tracing::info!("sent {} ({} bytes of accounts moved to lookup table {table})", sig, 32 * lookup_len(&tx));
    Ok(sig.to_string())
}

fn lookup_len(tx: &VersionedTransaction) -> usize {
    match &tx.message {
        VersionedMessage::V0(m) => {
            m.address_table_lookups.iter().map(|l| l.writable_indexes.len() + l.readonly_indexes.len()).sum()
        }
        VersionedMessage::Legacy(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::AccountMeta;

    #[test]
    fn the_table_holds_neither_signers_nor_programs() {
        let (payer, a, b, program) =
            (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let ix = Instruction {
            program_id: program,
            accounts: vec![
                AccountMeta::new(payer, true),
                AccountMeta::new(a, false),
                AccountMeta::new_readonly(b, false),
                AccountMeta::new_readonly(a, false),
                AccountMeta::new_readonly(program, false),
            ],
            data: vec![],
        };
        assert_eq!(table_addresses(&[ix], &payer), vec![a, b]);
    }
}
