//! Reporting routes: who to tell and what happens, step by step, each step citing clauses.

use serde::Serialize;

/// Something staff need to report, which routes of different schools answer alike.
#[derive(Debug, Clone, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    /// The id routes name in their `concern` field (`staff-cyberbullied`).
    pub id: String,
    /// As staff would think of it: "A member of staff is cyberbullied or trolled online".
    pub title: String,
    /// One sentence on what the concern covers.
    #[serde(default)]
    pub summary: Option<String>,
}

/// A reporting route: who to tell and what happens, step by step, each step citing clauses.
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    /// Id of the concern it answers.
    pub concern: String,
    /// The route's title as the policy frames it (`A pupil under 13 is on Facebook`).
    pub title: String,
    /// The steps, in the order written.
    pub steps: Vec<RouteStep>,
    /// Byte offset of the block in the content file.
    #[serde(skip)]
    pub offset: usize,
    /// Which segment and event the block starts at, so the page shows it in place.
    #[serde(skip)]
    pub at: (usize, usize),
}

/// What a step of a route is; shown by shape and by words, not colour alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Something a person does.
    #[default]
    Step,
    /// A question with labelled branches.
    Decision,
    /// An outside body: the police, the LADO, CEOP, a helpline.
    External,
}

impl StepKind {
    /// The word shown on the chart and in the text version.
    pub fn caption(self) -> &'static str {
        match self {
            StepKind::Step => "Step",
            StepKind::Decision => "Decision",
            StepKind::External => "Outside body",
        }
    }

    /// The name of step `number` (counted from 1) on the chart and in the text version:
    /// "Step 1", "Step 2 · Decision", "Step 3 · Outside body".
    pub fn heading(self, number: usize) -> String {
        match self {
            StepKind::Step => format!("Step {number}"),
            kind => format!("Step {number} · {}", kind.caption()),
        }
    }
}

/// One step of a reporting route, as its `[[steps]]` table gives it.
#[derive(Debug, Clone, Serialize)]
pub struct RouteStep {
    /// The step's id within its route (`dcpo`), for branches and jumps.
    pub id: String,
    /// Step, decision or outside body.
    pub kind: StepKind,
    /// What to do or ask, as the policy words it.
    pub text: String,
    /// Who does it (`The Headteachers`), if the step says.
    pub who: Option<String>,
    /// When it is done (`As soon as it happens`), if the step says.
    pub when: Option<String>,
    /// Clause ids of the same policy that say this.
    pub cites: Vec<String>,
    /// General guidance that no clause states (and that is fine).
    pub general: bool,
    /// Where the step leads: its branches or jump, else the next step; none if it ends.
    pub edges: Vec<RouteEdge>,
}

/// A link from one step of a route to another.
#[derive(Debug, Clone, Serialize)]
pub struct RouteEdge {
    /// Step id.
    pub to: String,
    /// Branch label ("Yes", "No"), if the step is a decision.
    pub label: Option<String>,
}
