/// A forward-only, label-free layer update (`model = "ska"`): from one layer's pre-activations
/// z, decisions D = sigmoid(z) and their change ΔD since the previous forward step (all
/// batch × units), it returns the signal G that moves the layer's weights as
/// W ← W − η D_prevᵀ G / B and its biases as b ← b − η mean_batch G, with D_prev the layer
/// below's decisions at the previous step (the input for the first layer).
public protocol ForwardOnlyRule: LearningRule {
    /// The layer signal G (same shape as `z`), written into `g`.
    func signal(z: [Float], d: [Float], deltaD: [Float], into g: inout [Float])
}

/// The registry of forward-only rules: scenes and `--rule` find them here by name.
public enum ForwardOnlyRules {
    public static let registry = RuleRegistry<any ForwardOnlyRule>(
        family: "forward_only", summary: "forward-only layer-wise updates without labels or backpropagation (model ska)", [
            .init(SKARule.self) { $0 },
        ])
}
