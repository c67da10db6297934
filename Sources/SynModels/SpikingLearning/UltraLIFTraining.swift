/// How the UltraLIF scene (`model = "ultralif"`) trains: both arms (UltraLIF and the
/// surrogate-gradient LIF) take Adam steps of rate η on the same mini-batches; the rule decides
/// whether UltraLIF's smoothing ε is a trained parameter too.
public protocol UltraLIFTraining: LearningRule {
    /// Adam learning rate η of both arms.
    var eta: Float { get }
    /// ε learned by Adam on log ε (true) or held at the `eps` control (false).
    var learnsEpsilon: Bool { get }
}

public enum UltraLIFParameter {
    public static let eta = RuleParameter("eta", "Adam learning rate η of both arms", range: .openClosed(0, 1), default: 0.001)
}

/// The rules of the UltraLIF scene, found by name.
public enum UltraLIFRules {
    public static let registry = RuleRegistry<any UltraLIFTraining>(
        family: "ultralif", summary: "UltraLIF (exact gradients of a max-plus smoothed LIF) against a surrogate-gradient LIF (model = \"ultralif\")", [
            .init(LearnedEpsilon.self) { $0 },
            .init(FixedEpsilon.self) { $0 },
        ])
}

/// ε trained with the weights (Miñoza 2026): exact BPTT gives ∂L/∂ log ε, Adam moves
/// log ε ← log ε − η m̂/(√v̂ + 1e-8), ε = exp(log ε) clamped to [0.1, 20].
public struct LearnedEpsilon: UltraLIFTraining {
    public static let name = "learned_eps"
    public static let summary = "UltraLIF's smoothing ε learned by Adam on log ε, clamped to [0.1, 20]; weights by Adam"
    public static let parameters = [UltraLIFParameter.eta]
    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(UltraLIFParameter.eta) }
    public var learnsEpsilon: Bool { true }
    public var equation: String {
        "Adam on W, b (both arms) and on log ε (UltraLIF): θ ← θ − η m̂/(√v̂ + 1e-8), η = \(eta); ε = exp(log ε) ∈ [0.1, 20]"
    }
}

/// ε fixed at the `eps` control's value: the ablation of the paper's ε sweep.
public struct FixedEpsilon: UltraLIFTraining {
    public static let name = "fixed_eps"
    public static let summary = "UltraLIF's smoothing ε held at the eps control; weights by Adam"
    public static let parameters = [UltraLIFParameter.eta]
    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(UltraLIFParameter.eta) }
    public var learnsEpsilon: Bool { false }
    public var equation: String { "Adam on W, b (both arms): θ ← θ − η m̂/(√v̂ + 1e-8), η = \(eta); ε fixed (control eps)" }
}
