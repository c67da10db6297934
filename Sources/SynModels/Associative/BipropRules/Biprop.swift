/// Bidirectional learning, "biprop" (Pontes-Filho & Liwicki 2019, arXiv 1805.08006):
///
///     {W1, W2, b1, b2} ← Adam_c(∂L_c/∂θ, η),  then  {W1, W2, c1, c2} ← Adam_g(∂L_g/∂θ, η)
///
/// every minibatch (symbols: `BipropRule`): the same weights classify x → y and, transposed,
/// generate x̂ from y.
public struct Biprop: BipropRule {
    public static let name = "biprop"
    public static let summary = "classifier step then generator step (tied transposed weights) every batch (Pontes-Filho & Liwicki 2019)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "{W1, W2, b1, b2} <- Adam_c(dL_c/dtheta); {W1, W2, c1, c2} <- Adam_g(dL_g/dtheta) every batch" }
    public func trainsGenerator(at t: Int) -> Bool { true }
}
