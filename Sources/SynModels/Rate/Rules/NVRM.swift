/// Variable SGD, "artificial neural variability" (NVRM; Xie et al. 2021, Neural Computation
/// 33:2163; authors' `vsgd.py`): every gradient is taken at a randomly perturbed copy of the
/// weights while the mean weights θ̄ are kept and updated,
///
///     ε ~ N(0, b² I) (redrawn every update),   v ← μ v + ∇L(θ̄ + ε),   θ̄ ← θ̄ − η v
///
/// b (`noise_scale`, dimensionless) the perturbation sd; every sample of a batch sees the same
/// ε; the network always holds θ̄ between updates, so evaluation uses the noise-free mean
/// (the authors remove the noise before evaluating). Minimises E_ε L(θ̄ + ε): an implicit
/// flatness regulariser that delays memorisation of noisy labels.
public struct NVRM: MLPFeedbackRule {
    public static let name = "nvrm"
    public static let summary = "variable SGD (NVRM): gradient at θ̄ + ε, ε ~ N(0, b²) per update, momentum on the mean weights (Xie et al. 2021)"
    public static let eta = MLPParameter.eta(default: 0.1)
    public static let mu = RuleParameter("mu", "momentum coefficient μ", range: .closedOpen(0, 1), default: 0.9)
    public static let noiseScale = RuleParameter("noise_scale", "sd b of the Gaussian perturbation ε of every weight and bias",
                                                 range: .closed(0, 1), default: 0.05)
    public static let parameters = [eta, mu, noiseScale, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.backprop

    public var eta: Float
    public let mu: Float
    public let scale: Float
    public let batch: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        mu = values.float(Self.mu)
        scale = values.float(Self.noiseScale)
        batch = values.integer(MLPParameter.batch)
    }

    public var optimizer: MLPOptimizer { .momentum(mu: mu) }
    public var parameterNoise: Float { scale }
    public var perturbsParameters: Bool { true }

    public var equation: String {
        equationLine(estimate: "g = backprop gradient at theta + eps, eps ~ \(scale) N(0,1) per update")
    }
}
