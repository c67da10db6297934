/// Half bidirectional learning, "halfbiprop" (Pontes-Filho & Liwicki 2019, arXiv 1805.08006):
///
///     {W1, W2, b1, b2} ← Adam_c(∂L_c/∂θ, η)                          every minibatch t,
///     {W1, W2, c1, c2} ← Adam_g(∂L_g/∂θ, η)   only while t < T_g
///
/// (symbols: `BipropRule`; T_g in minibatches, the paper's half of the training iterations):
/// generator pre-training shapes the weights, the classifier then refines them alone.
public struct HalfBiprop: BipropRule {
    public static let name = "halfbiprop"
    public static let summary = "biprop for the first generator_steps batches (the paper: half the run), then classifier steps only"
    public static let generatorSteps = RuleParameter("generator_steps", "minibatches T_g during which the generator also trains (paper: half the run)",
                                                     range: .closed(0, 1e9), default: 1500, kind: .integer)
    public static let parameters = [generatorSteps]
    public let generatorSteps: Int

    public init(_ values: RuleParameterValues) { generatorSteps = values.integer(Self.generatorSteps) }
    public init(generatorSteps: Int) { self.generatorSteps = generatorSteps }

    public var equation: String {
        "{W1, W2, b1, b2} <- Adam_c(dL_c/dtheta) every batch; {W1, W2, c1, c2} <- Adam_g(dL_g/dtheta) while t < \(generatorSteps)"
    }
    public func trainsGenerator(at t: Int) -> Bool { t < generatorSteps }
}
