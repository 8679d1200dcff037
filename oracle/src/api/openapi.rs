//! The OpenAPI 3.1 document: each API area lists its own paths and schemas; this joins them.
use serde_json::{json, Map, Value};

pub fn document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert("Error".into(), super::error::schema());
    for (p, s) in [super::worker::openapi(), super::peer::openapi(), super::public::openapi()] {
        if let Value::Object(p) = p {
            paths.extend(p);
        }
        if let Value::Object(s) = s {
            schemas.extend(s);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "IO Compute oracle node", "version": env!("CARGO_PKG_VERSION") },
        "paths": paths,
        "components": { "schemas": schemas },
    })
}
