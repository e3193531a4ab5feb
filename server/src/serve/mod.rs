//! `ogkit serve` (in progress).

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on, as HOST:PORT.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) addr: std::net::SocketAddr,
}

pub(crate) fn run(_args: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}
