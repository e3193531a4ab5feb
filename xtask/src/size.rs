//! `cargo xtask size` (in progress).

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}
