//! The MCP surface: rmcp's tool router and handler around [`Context`]'s tools and the resources.
//! Every tool answers with text contents; an input the tool cannot use (a missing file, a YAML
//! error, an unknown rule) is a tool error (`isError: true`) whose text is the located message the
//! command line prints, and a panic in a tool is caught and reported the same way, so the server
//! keeps serving.

use super::input::{
    CatalogInput, CheckInput, CompareInput, DiffInput, EstimateInput, ExplainInput, ImportInput, SweepInput,
};
use super::resources;
use super::tools::{Context, Texts};
use crate::error::Error;
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource, ResourceContents,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, tool, tool_handler, tool_router};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

const INSTRUCTIONS: &str = "closednet prices an Azure architecture twice, RBAC-only (public endpoints) and closed \
network (private endpoints, VNet), offline and deterministically, citing a rule for every tier bump. \
Call `estimate` with an architecture file's `path` or its `yaml`; `explain` a rule id from a report; \
read closednet://schema/architecture to write a file. Paths are read only under the server's working \
directory and its --allow-path directories.";

const ESTIMATE: &str = "Estimate both designs of an architecture, RBAC-only and closed network (closednet \
estimate): give `path` (an architecture file, a Terraform plan JSON or an ARM template) or `yaml` (its \
text). Returns two text contents: the report JSON (exactly `closednet estimate --format json`; its schema is \
the resource closednet://schema/report), then the same report as Markdown.";

const CHECK: &str = "The CI gate (closednet check): estimate, then judge budgets and findings. Returns two \
text contents: the judgement as JSON (`closednet check --format json`; `passed` says whether it passed), \
then as Markdown. A failed check is a result, not an error.";

const DIFF: &str = "What changed between two architecture files, in tiers and cost, for both designs \
(closednet diff). Returns two text contents: the difference as JSON (`closednet diff --format json`), then \
as Markdown.";

const EXPLAIN: &str = "A rule's documentation by id (CN014) or slug, or a service type's tiers with their \
capabilities, dates, SLA and price in a region (closednet explain). Returns one text content (Markdown for a \
rule).";

const CATALOG: &str = "The pricing catalog: snapshots, service types, tiers with their capabilities and \
dates, and regions, as `closednet catalog --format json`.";

const IMPORT: &str = "Read a Terraform plan JSON or an ARM template and build the architecture file it \
describes (closednet import). Returns two text contents: the architecture file (YAML), then the import \
summary as JSON (`--summary json`).";

const COMPARE: &str = "Price an architecture file as written and each of its named scenarios (its \
`scenarios:` map), side by side (closednet compare). Returns two text contents: the comparison JSON \
(`compare --format json`), then its Markdown sign-off.";

const SWEEP: &str = "Enumerate the choices an architecture file leaves open (platform keys, tiers, private \
mechanisms), price them, and find the cheapest variant that keeps the file's `requirements:` and the \
Pareto front (closednet sweep); each row carries the `set` overrides that reproduce it. Returns two text \
contents: the sweep JSON (`sweep --format json`), then its Markdown.";

#[derive(Clone)]
pub struct Server {
    context: Arc<Context>,
    tool_router: ToolRouter<Server>,
}

impl Server {
    pub fn new(context: Context) -> Server {
        Server { context: Arc::new(context), tool_router: Server::tool_router() }
    }
}

/// A tool's texts as a result, or its error as a tool error; a panic becomes a tool error too.
fn answer(call: impl FnOnce() -> Result<Texts, Error>) -> CallToolResult {
    let outcome = catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::msg(format!("internal error: {what} (a bug in closednet: please report it)")))
    });
    match outcome {
        Ok(texts) => CallToolResult::success(texts.into_iter().map(ContentBlock::text).collect()),
        Err(e) => CallToolResult::error(vec![ContentBlock::text(e.to_string())]),
    }
}

#[tool_router]
impl Server {
    #[tool(description = ESTIMATE, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn estimate(&self, Parameters(input): Parameters<EstimateInput>) -> CallToolResult {
        answer(|| self.context.estimate(&input))
    }

    #[tool(description = CHECK, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn check(&self, Parameters(input): Parameters<CheckInput>) -> CallToolResult {
        answer(|| self.context.check(&input))
    }

    #[tool(description = DIFF, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn diff(&self, Parameters(input): Parameters<DiffInput>) -> CallToolResult {
        answer(|| self.context.diff(&input))
    }

    #[tool(description = EXPLAIN, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn explain(&self, Parameters(input): Parameters<ExplainInput>) -> CallToolResult {
        answer(|| self.context.explain(&input))
    }

    #[tool(description = CATALOG, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn catalog(&self, Parameters(_): Parameters<CatalogInput>) -> CallToolResult {
        answer(|| self.context.catalog())
    }

    #[tool(description = IMPORT, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn import(&self, Parameters(input): Parameters<ImportInput>) -> CallToolResult {
        answer(|| self.context.import(&input))
    }

    #[tool(description = COMPARE, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn compare(&self, Parameters(input): Parameters<CompareInput>) -> CallToolResult {
        answer(|| self.context.compare(&input))
    }

    #[tool(description = SWEEP, annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false))]
    fn sweep(&self, Parameters(input): Parameters<SweepInput>) -> CallToolResult {
        answer(|| self.context.sweep(&input))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder().enable_tools().enable_resources().build();
        let mut config = ServerConfig::new(capabilities).with_instructions(INSTRUCTIONS);
        config.server_info = Implementation::new("closednet", env!("CARGO_PKG_VERSION"));
        config
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let listed = resources::list().into_iter().map(|l| {
            Resource::new(l.uri, l.name).with_title(l.title).with_description(l.description).with_mime_type(l.mime_type)
        });
        Ok(ListResourcesResult::with_all_items(listed.collect()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        match resources::read(&request.uri, self.context.catalog) {
            Ok(Some((text, mime))) => {
                Ok(ReadResourceResult::new(vec![ResourceContents::text(text, request.uri).with_mime_type(mime)]).into())
            }
            Ok(None) => Err(ErrorData::resource_not_found(
                format!("no resource {} (resources/list names every resource)", request.uri),
                None,
            )),
            Err(e) => Err(ErrorData::internal_error(e.to_string(), None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: &CallToolResult) -> (bool, Vec<&str>) {
        let texts = r.content.iter().map(|c| c.as_text().map_or("", |t| t.text.as_str())).collect();
        (r.is_error.unwrap_or(false), texts)
    }

    #[test]
    fn texts_are_a_result_errors_and_panics_are_tool_errors() {
        assert_eq!(text(&answer(|| Ok(vec!["{}".into(), "# md".into()]))), (false, vec!["{}", "# md"]));
        assert_eq!(text(&answer(|| Err(Error::msg("no")))), (true, vec!["error: no"]));
        let panicked = answer(|| panic!("boom"));
        assert_eq!(text(&panicked), (true, vec!["error: internal error: boom (a bug in closednet: please report it)"]));
    }
}
