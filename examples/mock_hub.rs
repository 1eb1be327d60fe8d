//! The test suite's mock Hugging Face Hub, standalone, for benchmarks and
//! for trying `commons fetch` or `hf download` against real files offline:
//!
//! ```text
//! cargo run --release --example mock_hub -- [HUB_ADDR [CDN_ADDR]]
//! ```
//!
//! It prints the endpoint (for `HF_ENDPOINT`) and serves until killed.

#[path = "../tests/cli/support/mock_hub.rs"]
mod mock_hub;

fn main() {
    let mut args = std::env::args().skip(1);
    let hub_addr = args.next().unwrap_or_else(|| "127.0.0.1:0".into());
    let cdn_addr = args.next().unwrap_or_else(|| "127.0.0.1:0".into());
    let hub = mock_hub::MockHub::on(&mock_hub::default_models_dir(), &hub_addr, &cdn_addr);
    println!("{}", hub.endpoint);
    for id in [mock_hub::MINILM, mock_hub::SMOLLM] {
        let repo = hub.repo(id);
        eprintln!(
            "serving {id} at {} ({} files)",
            repo.commit,
            repo.files.len()
        );
    }
    loop {
        std::thread::park();
    }
}
