//! (placeholder) The outbox: every transaction the node intends to send is written before it is
//! sent and marked when confirmed.
