-- The chain the database holds: the genesis hash of the node it was indexed from (service
-- engineer's store/chain.rs). One row; a node with another genesis is another chain.
CREATE TABLE chain_identity (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    genesis_hash TEXT NOT NULL,
    rpc_url TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
