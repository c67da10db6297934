/// Plain backprop, the baseline of bidirectional learning (Pontes-Filho & Liwicki 2019):
///
///     {W1, W2, b1, b2} ← Adam_c(∂L_c/∂θ, η)          every minibatch; the generator never trains
///
/// (symbols: `BipropRule`). The generator's tied weights still change, as the classifier's.
public struct ClassifierOnly: BipropRule {
    public static let name = "backprop"
    public static let summary = "classifier steps only: Adam on the cross-entropy L_c (the baseline of Pontes-Filho & Liwicki 2019)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "{W1, W2, b1, b2} <- Adam_c(dL_c/dtheta) every batch; generator untrained" }
    public func trainsGenerator(at t: Int) -> Bool { false }
}
