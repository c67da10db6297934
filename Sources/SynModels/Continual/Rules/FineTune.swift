/// Fine-tuning: plain SGD on the current task only, θ ← θ − η g (no replay, no protection);
/// the lower bound of every continual-learning comparison.
public struct FineTune: ContinualLearningRule {
    public static let name = "finetune"
    public static let summary = "fine-tuning: SGD on the current task only, θ ← θ − η g (the forgetting baseline)"
    public static let eta = ContinualParameter.eta(default: 0.05)
    public static let parameters = [eta]

    public var eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }

    public var equation: String { "theta <- theta - eta g  (current task only);  eta = \(eta)" }

    public mutating func apply(_ g: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int, task: Int) -> Int {
        sgdApply(g, theta, count: count, eta: eta)
    }
}
