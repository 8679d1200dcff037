//! (placeholder) After a certification: the idempotent cranks.
