import SynCore

/// Random regrowth (SET, Mocanu et al. 2018): every allowed inactive edge is equally likely,
///
///     score_ij ~ U[0, 1)
///
/// drawn from the rewiring event's own stream, so the choice is uniform among the candidates.
public struct RandomRegrowth: RegrowthRule {
    public static let name = "random"
    public static let summary = "regrow uniformly random allowed inactive edges (SET, Mocanu et al. 2018)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "regrow k uniformly random allowed inactive edges;  w_new = 0" }

    public func score(gradient: Float, correlation: Float, rng: inout RNG) -> Float { rng.uniform() }
}
