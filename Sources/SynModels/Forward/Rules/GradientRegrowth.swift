import SynCore

/// Gradient regrowth (RigL, Evci et al. 2020): regrow the inactive edges whose weight would
/// change the loss fastest,
///
///     score_ij = |∂L/∂w_ij|
///
/// on the last minibatch (L the mean cross-entropy in nats, w dimensionless), computed densely
/// at the zero weight of the inactive edge.
public struct GradientRegrowth: RegrowthRule {
    public static let name = "gradient"
    public static let summary = "regrow the inactive edges with the largest minibatch gradient |dL/dw_ij| (RigL, Evci et al. 2020)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "regrow argmax |dL/dw_ij| (last minibatch);  w_new = 0" }

    public func score(gradient: Float, correlation: Float, rng: inout RNG) -> Float { abs(gradient) }
}
