/// Full fine-tuning: every weight and bias follows the gradient, W_l ← W_l − η ∂L/∂W_l,
/// b_l ← b_l − η ∂L/∂b_l (η dimensionless, per minibatch). The upper reference arm.
public struct FullFineTuneMode: ModeTuningRule {
    public static let name = "full_finetune"
    public static let summary = "every weight and bias trains (upper reference)"
    public static let parameters = [ModeTuningParameter.eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(ModeTuningParameter.eta) }

    public var equation: String { "W_l <- W_l - \(eta) dL/dW_l;  b_l <- b_l - \(eta) dL/db_l" }
    public func trainableCount(_ net: GatedMLP) -> Int { net.w.reduce(0) { $0 + $1.storage.count } + net.b.reduce(0) { $0 + $1.count } }
    public func apply(_ g: GatedMLP.Gradients, to net: inout GatedMLP) {
        for l in net.w.indices {
            descend(&net.w[l].storage, g.w[l].storage, eta)
            descend(&net.b[l], g.b[l], eta)
        }
    }
}
