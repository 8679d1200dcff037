//! The OpenAPI document the web app's TypeScript types are generated from
//! (`app/src/generated/indexer/openapi.json`, then `npm run gen:api` in `app/` writes
//! `schema.d.ts`) is the code's own: this test fails when the committed copy differs from
//! `api::openapi::document()`, and rewrites it when run with `IO_OPENAPI_UPDATE=1`. No server
//! is needed: the document is built from the endpoint table.
use std::path::PathBuf;

#[test]
fn the_apps_copy_of_the_openapi_document_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../app/src/generated/indexer/openapi.json");
    let mut text = serde_json::to_string_pretty(&io_indexer::api::openapi::document()).expect("document");
    text.push('\n');
    if std::env::var_os("IO_OPENAPI_UPDATE").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("generated dir");
        std::fs::write(&path, &text).expect("write openapi.json");
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is not the indexer's current OpenAPI document: run \
         `IO_OPENAPI_UPDATE=1 cargo test -p io-indexer --test integrations -- openapi_file` \
         and then `npm run gen:api` in app/",
        path.display()
    );
}
