import SynCore

/// How a dynamic-sparse-training event chooses which inactive edges to regrow (`model =
/// "g2gnet"`): every candidate edge i→j (allowed by the ensemble blocks, inactive, not pruned in
/// this event) gets a score, and the k highest scores regrow (k = the number just pruned), with
/// new weights at 0. Inputs of the score: the minibatch gradient ∂L/∂w_ij at the edge and the
/// running pre/post correlation C_ij ← ρ C_ij + (1 − ρ) mean_batch a_i^pre a_j^post.
public protocol RegrowthRule: LearningRule {
    /// The score of one candidate edge (higher regrows first); `rng` is the event's own stream.
    func score(gradient: Float, correlation: Float, rng: inout RNG) -> Float
}

/// The registry of regrowth criteria: scenes and `--rule` find them here by name.
public enum RegrowthRules {
    public static let registry = RuleRegistry<any RegrowthRule>(
        family: "rewiring", summary: "regrowth criteria of dynamic sparse training inside ensemble blocks (model g2gnet)", [
            .init(HebbianRegrowth.self) { $0 },
            .init(RandomRegrowth.self) { $0 },
            .init(GradientRegrowth.self) { $0 },
        ])
}
