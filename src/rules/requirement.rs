//! What closing the network costs, by requirement.
//!
//! Every cost of the closed design that the RBAC-only design does not have belongs to exactly one
//! requirement, so that an architect can see what each requirement costs and what dropping it
//! would save. A declared service's difference belongs to the rule that bumped its tier (CN101,
//! CN102, CN105: private access; CN103: private edge; CN104: private indexing) and to private
//! access otherwise (a private service that keeps its tier still changes only to be private); an
//! added resource carries the requirement that added it.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    /// Private endpoints, private DNS zones, and the tier bumps they need (CN101, CN102, CN105).
    PrivateAccess,
    /// A public edge reaching private origins (CN103).
    PrivateEdge,
    /// AI Search indexers with skillsets over shared private links (CN104).
    PrivateIndexing,
    /// Conditional Access licences.
    Identity,
    /// VPN or ExpressRoute gateway, its public IP, the DNS resolver.
    OnPremises,
    /// Firewall or NAT gateway for outbound traffic, with its public IPs.
    Egress,
    /// Bastion, jump box.
    OperatorAccess,
    /// Self-hosted build agents inside the network.
    Cicd,
    /// DDoS Protection.
    Ddos,
    /// The platform team's charge-back for an existing hub.
    HubShare,
}

impl Requirement {
    pub const ALL: [Requirement; 10] = [
        Requirement::PrivateAccess,
        Requirement::PrivateEdge,
        Requirement::PrivateIndexing,
        Requirement::Identity,
        Requirement::OnPremises,
        Requirement::Egress,
        Requirement::OperatorAccess,
        Requirement::Cicd,
        Requirement::Ddos,
        Requirement::HubShare,
    ];

    /// The id used in JSON, CSV and the workbook.
    pub fn id(self) -> &'static str {
        match self {
            Requirement::PrivateAccess => "private-access",
            Requirement::PrivateEdge => "private-edge",
            Requirement::PrivateIndexing => "private-indexing",
            Requirement::Identity => "identity",
            Requirement::OnPremises => "on-premises",
            Requirement::Egress => "egress",
            Requirement::OperatorAccess => "operator-access",
            Requirement::Cicd => "cicd",
            Requirement::Ddos => "ddos",
            Requirement::HubShare => "hub-share",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Requirement::PrivateAccess => "private access",
            Requirement::PrivateEdge => "private edge",
            Requirement::PrivateIndexing => "private indexing",
            Requirement::Identity => "identity (conditional access)",
            Requirement::OnPremises => "on-premises connectivity",
            Requirement::Egress => "egress",
            Requirement::OperatorAccess => "operator access",
            Requirement::Cicd => "CI/CD",
            Requirement::Ddos => "DDoS protection",
            Requirement::HubShare => "hub share",
        }
    }

    /// The requirement a tier bump's rule serves.
    pub fn of_rule(rule: Option<crate::registry::RuleId>) -> Requirement {
        use crate::registry::RuleId;
        match rule {
            Some(RuleId::CN103) => Requirement::PrivateEdge,
            Some(RuleId::CN104) => Requirement::PrivateIndexing,
            _ => Requirement::PrivateAccess,
        }
    }

    /// Whether dropping it is one switch of `closed_network` (so the saving is re-priced without it
    /// rather than read off its own lines: dropping egress also drops the DDoS protection of the
    /// firewall's public IP).
    pub fn is_switch(self) -> bool {
        !matches!(self, Requirement::PrivateAccess | Requirement::PrivateEdge | Requirement::PrivateIndexing)
    }
}
