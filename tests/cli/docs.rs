//! The reference pages in `commands/<verb>.md` are executed: every console
//! example runs against the real binary and its output must match.

#[test]
fn reference_pages_run() {
    trycmd::TestCases::new()
        .register_bin("commons", trycmd::cargo::cargo_bin!("commons"))
        .env("COMMONS_KEY_DIR", "keys-outside-the-commons")
        .case("commands/*.md")
        // Needs the mock Hub: run by `fetch::the_reference_page_examples_run`.
        .skip("commands/fetch.md");
}
