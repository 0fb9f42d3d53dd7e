//! Named scenarios and stated requirements: the two parts of the file that say what to choose
//! between and what every choice must keep.
//!
//! A scenario is a name, a description and overrides in the `--set` language (`PATH=VALUE`),
//! validated like `--set` when the file is loaded, with errors at the scenario's line. A requirement
//! is one of [`Constraint`]: the engine checks every priced design against the file's list (finding
//! CN024), so neither `compare` nor `sweep` can report a design that breaks one as compliant.

use super::Loc;
use super::set::Set;

/// What a scenario's name may be: it names two workbook sheets (`NAME` and `NAME RBAC`: a sheet
/// name has 31 characters at most, none of `[]:*?/\\`) and a command-line argument.
pub const NAME_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9_-]{0,24}$";

/// The name `compare` and `diff` give the file as written; no scenario may take it.
pub const BASE: &str = "base";

/// One entry of `scenarios:`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The overrides, in file order; applied before any `--set` of the command line.
    pub sets: Vec<Set>,
    /// Where the scenario is in the file, and where each of its `set` entries is.
    pub loc: Loc,
    pub set_locs: Vec<Loc>,
}

impl Scenario {
    /// `--set A=1 --set B=2`: the command-line form of the scenario's overrides.
    pub fn flags(&self) -> String {
        self.sets.iter().map(Set::flag).collect::<Vec<_>>().join(" ")
    }
}

/// What the closed design must keep (`requirements:` in the file). Each is checked against the
/// design the engine priced, not against the words of the file alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Constraint {
    /// Outbound internet traffic is inspected: an Azure Firewall, not NAT-only egress or none.
    EgressInspection,
    /// Operators can reach the private network: a Bastion that reaches it, or a jump box they can
    /// reach.
    OperatorAccess,
    /// Operators get in with no public IP: Bastion Premium private-only or a jump box, over the
    /// on-premises link.
    PrivateOperatorAccess,
    /// Users on premises reach the services privately: a VPN or ExpressRoute gateway.
    OnPremisesUsers,
    /// Every service on a tier with a financially backed SLA, and AI Search with the replicas its
    /// SLA needs.
    ProductionSla,
    /// The network platform comes from the organisation's existing hub.
    ExistingHub,
    /// The design's public IPs are covered by DDoS Protection.
    DdosProtection,
}

impl Constraint {
    pub const ALL: [Constraint; 7] = [
        Constraint::EgressInspection,
        Constraint::OperatorAccess,
        Constraint::PrivateOperatorAccess,
        Constraint::OnPremisesUsers,
        Constraint::ProductionSla,
        Constraint::ExistingHub,
        Constraint::DdosProtection,
    ];

    /// The word in the file, JSON and CSV.
    pub fn id(self) -> &'static str {
        match self {
            Constraint::EgressInspection => "egress-inspection",
            Constraint::OperatorAccess => "operator-access",
            Constraint::PrivateOperatorAccess => "private-operator-access",
            Constraint::OnPremisesUsers => "on-premises-users",
            Constraint::ProductionSla => "production-sla",
            Constraint::ExistingHub => "existing-hub",
            Constraint::DdosProtection => "ddos-protection",
        }
    }

    /// What it means, for the schema, the README and `explain CN024`.
    pub fn meaning(self) -> &'static str {
        match self {
            Constraint::EgressInspection => {
                "outbound internet traffic is inspected: closed_network.egress is an Azure Firewall (firewall-basic, -standard or -premium), not a NAT gateway or none"
            }
            Constraint::OperatorAccess => {
                "operators can reach the private network: Bastion Basic, Standard or Premium, Bastion Developer only without a hub (it cannot reach peered networks), or a jump box reached through a Bastion or over the on-premises link"
            }
            Constraint::PrivateOperatorAccess => {
                "operators get in with no public IP: every way in is Bastion Premium deployed private-only or a jump box, reached over closed_network.on_premises"
            }
            Constraint::OnPremisesUsers => {
                "users on premises reach the services privately: closed_network.on_premises is vpn or expressroute"
            }
            Constraint::ProductionSla => {
                "every service of the closed design runs a tier with a financially backed SLA (the catalog's sla), and AI Search has the replicas its SLA needs"
            }
            Constraint::ExistingHub => {
                "the network platform comes from the organisation's existing hub: closed_network.hub is existing"
            }
            Constraint::DdosProtection => {
                "the design's public IPs are covered by DDoS Protection: closed_network.ddos is network or ip"
            }
        }
    }

    pub fn parse(word: &str) -> Option<Constraint> {
        Constraint::ALL.into_iter().find(|c| c.id().eq_ignore_ascii_case(word.trim()))
    }
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}
