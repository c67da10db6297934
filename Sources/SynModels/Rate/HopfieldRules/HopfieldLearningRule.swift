import SynCore

/// A storage rule of a `Hopfield` network (`model = "hopfield"`): it sets the weights W from
/// the stored patterns ξ^μ ∈ {−1, +1}^N (μ = 1 … P), replacing W.
public protocol HopfieldLearningRule: LearningRule {
    /// Stores the first `count` rows of `patterns` (each in {−1, +1}^N) in `net`, replacing W.
    func store(_ patterns: Matrix, count: Int, into net: inout Hopfield)
}

/// The registry of Hopfield storage rules (`model = "hopfield"`): scenes and `--rule` find
/// them here by name. A new rule is one file in `Rate/HopfieldRules/` and one line below.
public enum HopfieldRules {
    public static let registry = RuleRegistry<any HopfieldLearningRule>(
        family: "hopfield", summary: "storage rules of a Hopfield network (model = \"hopfield\")", [
            .init(HopfieldHebb.self) { $0 },
        ])
}
