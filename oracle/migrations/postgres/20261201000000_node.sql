-- The node's identity: a database belongs to one oracle key on one cluster.
CREATE TABLE node_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
