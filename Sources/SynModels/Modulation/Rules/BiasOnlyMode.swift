/// Bias-only fine-tuning (BitFit style): every layer's biases follow the gradient,
/// b_l ← b_l − η ∂L/∂b_l; the weights stay frozen. η dimensionless, per minibatch.
public struct BiasOnlyMode: ModeTuningRule {
    public static let name = "bias_only"
    public static let summary = "only the biases of every layer train (BitFit-style control)"
    public static let parameters = [ModeTuningParameter.eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(ModeTuningParameter.eta) }

    public var equation: String { "b_l <- b_l - \(eta) dL/db_l  (weights frozen)" }
    public func trainableCount(_ net: GatedMLP) -> Int { net.b.reduce(0) { $0 + $1.count } }
    public func apply(_ g: GatedMLP.Gradients, to net: inout GatedMLP) {
        for l in net.b.indices { descend(&net.b[l], g.b[l], eta) }
    }
}
