//! Every rule the engine can cite, with a stable id and its documentation (`docs/CNxxx.md`). Tier
//! bumps cite `CN1xx` rules; findings cite `CN0xx` rules. Ids are never reused; the list is sorted
//! by id (a test keeps it so). A leaf: the model (a policy names rules), the engine, the gate and the
//! reports all refer to rules by [`RuleId`], so a misspelt id does not compile.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub id: &'static str,
    pub slug: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
    /// The rule's documentation (Markdown), printed by `closednet explain`.
    pub docs: &'static str,
}

/// A rule's id as a type: a misspelt id is a compile error, not a panic at run time. The variants
/// are in the order of [`RULES`] (a test keeps them so), which is id order.
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    CN001,
    CN002,
    CN003,
    CN004,
    CN005,
    CN006,
    CN007,
    CN008,
    CN009,
    CN010,
    CN011,
    CN012,
    CN013,
    CN014,
    CN015,
    CN016,
    CN017,
    CN018,
    CN019,
    CN020,
    CN021,
    CN022,
    CN023,
    CN024,
    CN025,
    CN101,
    CN102,
    CN103,
    CN104,
    CN105,
}

impl RuleId {
    pub const ALL: [RuleId; 30] = [
        RuleId::CN001,
        RuleId::CN002,
        RuleId::CN003,
        RuleId::CN004,
        RuleId::CN005,
        RuleId::CN006,
        RuleId::CN007,
        RuleId::CN008,
        RuleId::CN009,
        RuleId::CN010,
        RuleId::CN011,
        RuleId::CN012,
        RuleId::CN013,
        RuleId::CN014,
        RuleId::CN015,
        RuleId::CN016,
        RuleId::CN017,
        RuleId::CN018,
        RuleId::CN019,
        RuleId::CN020,
        RuleId::CN021,
        RuleId::CN022,
        RuleId::CN023,
        RuleId::CN024,
        RuleId::CN025,
        RuleId::CN101,
        RuleId::CN102,
        RuleId::CN103,
        RuleId::CN104,
        RuleId::CN105,
    ];

    /// The rule's registry entry.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// `CN001`.
    pub fn as_str(self) -> &'static str {
        self.rule().id
    }
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "CN001",
        slug: "storage-ip-rules-same-region",
        severity: Severity::Warning,
        summary: "Storage IP network rules cannot restrict callers in the same Azure region: they use private addresses",
        doc: "https://learn.microsoft.com/azure/storage/common/storage-network-security-limitations#restrictions-for-ip-network-rules",
        docs: include_str!("docs/CN001.md"),
    },
    Rule {
        id: "CN002",
        slug: "search-custom-skill-timeout",
        severity: Severity::Warning,
        summary: "AI Search custom Web API skills time out after at most 230 seconds",
        doc: "https://learn.microsoft.com/azure/search/cognitive-search-custom-skill-web-api",
        docs: include_str!("docs/CN002.md"),
    },
    Rule {
        id: "CN003",
        slug: "python-needs-linux",
        severity: Severity::Note,
        summary: "Python runs only on Linux plans",
        doc: "https://learn.microsoft.com/azure/azure-functions/functions-scale",
        docs: include_str!("docs/CN003.md"),
    },
    Rule {
        id: "CN004",
        slug: "hosted-agents-cannot-reach-private-endpoints",
        severity: Severity::Note,
        summary: "Microsoft-hosted build agents cannot reach private endpoints, and Azure DevOps is not a trusted Microsoft service",
        doc: "https://learn.microsoft.com/azure/devops/pipelines/agents/hosted",
        docs: include_str!("docs/CN004.md"),
    },
    Rule {
        id: "CN005",
        slug: "entra-licences-outside-azure",
        severity: Severity::Note,
        summary: "Entra ID P1/P2 licences are bought through Microsoft licensing, not the Azure portal",
        doc: "https://learn.microsoft.com/entra/fundamentals/get-started-premium",
        docs: include_str!("docs/CN005.md"),
    },
    Rule {
        id: "CN006",
        slug: "tier-without-sla",
        severity: Severity::Warning,
        summary: "A production design declares a tier without an SLA",
        doc: "https://learn.microsoft.com/azure/api-management/api-management-features",
        docs: include_str!("docs/CN006.md"),
    },
    Rule {
        id: "CN007",
        slug: "no-tier-for-closed-network",
        severity: Severity::Error,
        summary: "No tier of the service meets the closed network's needs",
        doc: "https://learn.microsoft.com/azure/private-link/private-endpoint-overview",
        docs: include_str!("docs/CN007.md"),
    },
    Rule {
        id: "CN008",
        slug: "no-price",
        severity: Severity::Warning,
        summary: "A line has no price in the snapshot; totals leave it out",
        doc: "https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices",
        docs: include_str!("docs/CN008.md"),
    },
    Rule {
        id: "CN009",
        slug: "retiring-plan",
        severity: Severity::Warning,
        summary: "The declared plan is retiring",
        doc: "https://learn.microsoft.com/azure/azure-functions/functions-scale",
        docs: include_str!("docs/CN009.md"),
    },
    Rule {
        id: "CN010",
        slug: "private-calls-public",
        severity: Severity::Warning,
        summary: "A service inside the closed network calls a public service",
        doc: "https://learn.microsoft.com/azure/private-link/private-link-overview",
        docs: include_str!("docs/CN010.md"),
    },
    Rule {
        id: "CN011",
        slug: "stale-prices",
        severity: Severity::Note,
        summary: "The pricing snapshot is older than the price-age limit (default 6 months)",
        doc: "https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices",
        docs: include_str!("docs/CN011.md"),
    },
    Rule {
        id: "CN012",
        slug: "egress-not-inspected",
        severity: Severity::Note,
        summary: "Services with private outbound access, and nothing inspects their outbound internet traffic",
        doc: "https://learn.microsoft.com/azure/firewall/overview",
        docs: include_str!("docs/CN012.md"),
    },
    Rule {
        id: "CN013",
        slug: "bastion-developer-no-peering",
        severity: Severity::Warning,
        summary: "Bastion Developer cannot reach VMs in peered virtual networks (hub and spoke)",
        doc: "https://learn.microsoft.com/azure/bastion/configuration-settings",
        docs: include_str!("docs/CN013.md"),
    },
    Rule {
        id: "CN014",
        slug: "origin-not-private-link",
        severity: Severity::Warning,
        summary: "A public edge calls a private origin that cannot be a Front Door Private Link origin at the date",
        doc: "https://learn.microsoft.com/azure/frontdoor/private-link",
        docs: include_str!("docs/CN014.md"),
    },
    Rule {
        id: "CN015",
        slug: "search-embedding-skillset-limits",
        severity: Severity::Note,
        summary: "A private indexer with a skillset: at most 2 embedding skills on every tier (from 2025-09-03), no Foundry resource on Basic",
        doc: "https://learn.microsoft.com/azure/search/search-limits-quotas-capacity",
        docs: include_str!("docs/CN015.md"),
    },
    Rule {
        id: "CN016",
        slug: "search-replicas-sla",
        severity: Severity::Warning,
        summary: "A production AI Search service has fewer replicas than its SLA needs (2 for queries, 3 with indexing)",
        doc: "https://learn.microsoft.com/azure/search/search-limits-quotas-capacity",
        docs: include_str!("docs/CN016.md"),
    },
    Rule {
        id: "CN017",
        slug: "shared-private-link-unsupported-target",
        severity: Severity::Error,
        summary: "An AI Search service calls a private service that no shared private link can reach at the date: that call cannot be made privately",
        doc: "https://learn.microsoft.com/azure/search/search-indexer-howto-access-private",
        docs: include_str!("docs/CN017.md"),
    },
    Rule {
        id: "CN018",
        slug: "private-endpoint-public-access-on",
        severity: Severity::Warning,
        summary: "The input pays for a private endpoint but leaves public access on (or a SQL firewall rule open from 0.0.0.0)",
        doc: "https://learn.microsoft.com/azure/private-link/private-endpoint-overview",
        docs: include_str!("docs/CN018.md"),
    },
    Rule {
        id: "CN019",
        slug: "public-ip-on-vm",
        severity: Severity::Warning,
        summary: "A virtual machine has a public IP in an input that builds private endpoints",
        doc: "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses",
        docs: include_str!("docs/CN019.md"),
    },
    Rule {
        id: "CN020",
        slug: "retired-sku",
        severity: Severity::Warning,
        summary: "The input builds a retired SKU or service",
        doc: "https://learn.microsoft.com/azure/postgresql/migrate/whats-happening-to-postgresql-single-server",
        docs: include_str!("docs/CN020.md"),
    },
    Rule {
        id: "CN021",
        slug: "mechanism-differs",
        severity: Severity::Note,
        summary: "The input makes a service private another way than the closed design's cheapest, at a price difference",
        doc: "https://learn.microsoft.com/azure/api-management/virtual-network-concepts",
        docs: include_str!("docs/CN021.md"),
    },
    Rule {
        id: "CN022",
        slug: "platform-built-twice",
        severity: Severity::Note,
        summary: "The input builds the same network platform more than once (two firewalls, two Bastions)",
        doc: "https://learn.microsoft.com/azure/architecture/networking/architecture/hub-spoke",
        docs: include_str!("docs/CN022.md"),
    },
    Rule {
        id: "CN023",
        slug: "not-closed",
        severity: Severity::Note,
        summary: "A resource of the input is not closed (half-closed, public or unknown until apply); check --require closed fails on it",
        doc: "https://learn.microsoft.com/azure/private-link/private-link-overview",
        docs: include_str!("docs/CN023.md"),
    },
    Rule {
        id: "CN024",
        slug: "requirement-broken",
        severity: Severity::Error,
        summary: "The closed design breaks a requirement the file states (requirements:): egress inspection, operator access, SLA, hub, DDoS",
        doc: "https://learn.microsoft.com/azure/architecture/networking/architecture/hub-spoke",
        docs: include_str!("docs/CN024.md"),
    },
    Rule {
        id: "CN025",
        slug: "relies-on-preview",
        severity: Severity::Note,
        summary: "The closed design relies on a feature in preview at the date (not GA); check --deny-preview fails on it",
        doc: "https://learn.microsoft.com/azure/search/search-indexer-howto-access-private",
        docs: include_str!("docs/CN025.md"),
    },
    Rule {
        id: "CN101",
        slug: "private-inbound",
        severity: Severity::Note,
        summary: "A service that is not public needs inbound private access: a private endpoint or VNet injection",
        doc: "https://learn.microsoft.com/azure/private-link/private-endpoint-overview",
        docs: include_str!("docs/CN101.md"),
    },
    Rule {
        id: "CN102",
        slug: "private-outbound",
        severity: Severity::Note,
        summary: "A service that calls a private service needs outbound private access: VNet integration or injection",
        doc: "https://learn.microsoft.com/azure/app-service/overview-vnet-integration",
        docs: include_str!("docs/CN102.md"),
    },
    Rule {
        id: "CN103",
        slug: "private-link-origin",
        severity: Severity::Note,
        summary: "A public edge that forwards to private origins needs Private Link origins",
        doc: "https://learn.microsoft.com/azure/frontdoor/private-link",
        docs: include_str!("docs/CN103.md"),
    },
    Rule {
        id: "CN104",
        slug: "shared-private-link-skillset",
        severity: Severity::Note,
        summary: "An AI Search indexer with a skillset reaching private data needs a shared private link tier",
        doc: "https://learn.microsoft.com/azure/search/search-indexer-howto-access-private",
        docs: include_str!("docs/CN104.md"),
    },
    Rule {
        id: "CN105",
        slug: "shared-private-link",
        severity: Severity::Note,
        summary: "An AI Search indexer reaching private data needs shared private links",
        doc: "https://learn.microsoft.com/azure/search/search-indexer-howto-access-private",
        docs: include_str!("docs/CN105.md"),
    },
];

/// A rule by id (any case) or slug.
pub fn lookup(name: &str) -> Option<RuleId> {
    RuleId::ALL.into_iter().find(|id| id.as_str().eq_ignore_ascii_case(name) || id.rule().slug == name)
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enum_follows_the_registry() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (id, rule) in RuleId::ALL.iter().zip(RULES) {
            assert_eq!(format!("{id:?}"), rule.id);
            assert_eq!(id.as_str(), rule.id);
        }
    }

    #[test]
    fn ids_are_sorted_unique_and_slugs_unique() {
        for pair in RULES.windows(2) {
            assert!(pair[0].id < pair[1].id, "{} must come before {}", pair[0].id, pair[1].id);
        }
        let mut slugs: Vec<&str> = RULES.iter().map(|r| r.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), RULES.len());
        for r in RULES {
            assert!(r.doc.starts_with("https://learn.microsoft.com/"), "{} doc", r.id);
        }
    }
}
