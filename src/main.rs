fn main() -> std::process::ExitCode {
    #[cfg(feature = "ml")]
    commons::model::release_freed_memory();
    commons::cli::main()
}
