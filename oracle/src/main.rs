fn main() -> std::process::ExitCode {
    io_oracle_node::cli::main()
}
