//! `closednet mcp`: the library as a Model Context Protocol server on standard input and output,
//! for AI assistants and editors. Assistants that price Azure designs from their own look-ups give
//! a different total on every run; through this server they call the same deterministic engine as
//! the command line, and get its report, its rule citations and its located error messages.
//!
//! Beside [`crate::cli`] on the top floor: it turns a client's tool calls into the library's types
//! and calls the library, never the other way round. Offline: nothing here opens a socket; the only
//! files read are those a client names, under the directories [`paths::Sandbox`] allows. The JSON-RPC
//! framing, the handshake and the dispatch are the official SDK's (rmcp); this module holds the
//! tools ([`tools`]), their inputs ([`input`]), the resources ([`resources`]) and the handler
//! ([`server`]).

mod input;
mod paths;
mod resources;
mod server;
mod tools;

use crate::catalog::Catalog;
use crate::error::Error;
use rmcp::ServiceExt;
use std::path::PathBuf;

/// `closednet mcp`'s flags.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--allow-path DIR`: directories the server may read besides its working directory.
    pub allow_paths: Vec<PathBuf>,
}

/// Serves one client on standard input and output until it closes its end. The catalog is loaded
/// once and lives as long as the process, as the command line's does.
pub fn serve(options: &Options) -> Result<(), Error> {
    let sandbox = paths::Sandbox::new(&options.allow_paths)?;
    let catalog: &'static Catalog = Box::leak(Box::new(Catalog::embedded()?));
    // A panic in a tool is caught and answered as a tool error (see `server`); the binary's hook
    // would end the process first, so the server's hook only notes it on standard error.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_all(&mut err, format!("closednet mcp: internal error{at}\n").as_bytes());
    }));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::msg(format!("cannot start the MCP server: {e}")))?;
    let server = server::Server::new(tools::Context { catalog, sandbox });
    let served = runtime.block_on(async {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::msg(format!("the MCP client did not initialize the session: {e}")))?;
        running.waiting().await.map_err(|e| Error::msg(format!("the MCP session ended with an error: {e}")))?;
        Ok(())
    });
    // A read of standard input cannot be cancelled: do not wait for one at shutdown.
    runtime.shutdown_background();
    served
}
