//! Links the `podseek` binary as a position-dependent executable on Linux (glibc).
//!
//! A position-independent executable has its 870 KB of vtables and static tables relocated by
//! the dynamic loader at every start, which writes (and so copies) about 230 pages: 1.3–2 ms of
//! a 6 ms `podseek search` process, measured in BENCHMARKS.md. Linked at a fixed address, those
//! pages are read from the page cache as they are. The cost is address-space randomisation of
//! the binary's own code (libraries, heap and stack stay randomised); set `PODSEEK_PIE=1` when
//! building to keep a PIE.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PODSEEK_PIE");
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    let glibc_linux =
        target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu";
    // A static build (`-C target-feature=+crt-static`) has no dynamic loader to spare.
    let static_crt = target("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    let pie_asked = std::env::var_os("PODSEEK_PIE").is_some_and(|v| !v.is_empty() && v != "0");
    if glibc_linux && !static_crt && !pie_asked {
        // Only the binaries: tests, examples and benches keep the toolchain's default.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
