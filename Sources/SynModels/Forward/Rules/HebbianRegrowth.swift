import SynCore

/// Hebbian regrowth (G2GNet, Konstantaropoulos et al. 2025, reconstructed): regrow the inactive
/// edges whose pre- and post-synaptic activities co-vary most,
///
///     score_ij = |C_ij|,   C_ij ← ρ C_ij + (1 − ρ) mean_batch a_i^pre a_j^post
///
/// (a dimensionless ReLU activities or pixels / 16, ρ the per-step decay of the running
/// correlation). Edges "fire together, wire together" without any gradient.
public struct HebbianRegrowth: RegrowthRule {
    public static let name = "hebbian"
    public static let summary = "regrow the inactive edges with the largest running pre/post correlation |C_ij| (G2GNet, reconstructed)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "regrow argmax |C_ij|,  C_ij <- rho C_ij + (1 - rho) <a_i^pre a_j^post>;  w_new = 0" }

    public func score(gradient: Float, correlation: Float, rng: inout RNG) -> Float { abs(correlation) }
}
