// Shared by the build scripts of the services with a database (indexer/build.rs,
// oracle/build.rs, through `include!`): embeds `<root>/{sqlite,postgres}/*.sql` (named
// `<version>_<description>.sql`) as `SQLITE` and `POSTGRES` lists in `$OUT_DIR/migrations.rs`,
// so a binary carries its migrations without sqlx's `migrate!` macro (and its proc-macro build).

/// `root` is relative to the crate's manifest directory.
fn embed_migrations(root: &str) {
    use std::{env, fs, path::PathBuf};
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join(root);
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::new();
    for (name, dir) in [("SQLITE", "sqlite"), ("POSTGRES", "postgres")] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        out.push_str(&format!("pub const {name}: &[(i64, &str, &str)] = &[\n"));
        for f in files {
            let stem = f.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name");
            let (version, description) =
                stem.split_once('_').expect("migration named <version>_<description>.sql");
            let version: i64 = version.parse().expect("numeric migration version");
            let path = f.canonicalize().expect("canonical path");
            out.push_str(&format!(
                "    ({version}, {description:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
        out.push_str("];\n");
    }
    fs::write(PathBuf::from(env::var("OUT_DIR").expect("out dir")).join("migrations.rs"), out)
        .expect("write");
}
