-- Agreement on reports (consensus) and the transactions the node intends (outbox).
-- Keys are base58, digests and signatures hex, bodies borsh hex, reports JSON: one spelling for
-- both backends through sqlx's Any driver.

-- Every report this node knows: built, proposed to it, adopted from a peer, certified.
CREATE TABLE reports (
    period BIGINT NOT NULL,
    digest TEXT NOT NULL,
    report TEXT NOT NULL,
    -- proposed | certified
    status TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (period, digest)
);

-- What this node signed for a period: one content per period, ever (written before signing).
CREATE TABLE signed (
    period BIGINT PRIMARY KEY,
    digest TEXT NOT NULL,
    body TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

-- Every signature over a report digest this node has seen (its own, its peers'): the quorum a
-- leader certifies with, and the equivocation watch.
CREATE TABLE signatures (
    period BIGINT NOT NULL,
    signer TEXT NOT NULL,
    digest TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (period, signer, digest)
);

-- The outbox: every transaction the node intends, written before it is sent.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    -- pending | sent | confirmed | obsolete | failed
    status TEXT NOT NULL,
    signature TEXT,
    error TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX outbox_status ON outbox (status, id);
