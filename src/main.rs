fn main() -> std::process::ExitCode {
    // A reader that stops early (`commons list | head`) ends the process
    // quietly, as it does every other Unix tool, instead of a panic on a
    // write to a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any
    // thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    #[cfg(feature = "ml")]
    commons::model::release_freed_memory();
    commons::cli::main()
}
