/// Backprop with weight noise: after every SGD update each weight (not the biases) takes an
/// independent Gaussian kick,
///
///     θ ← θ − η ḡ,   then   w ← w + σ_w ξ,   ξ ~ N(0, 1)
///
/// (symbols: `MLPLearningRule`; σ_w = `weight_noise`, dimensionless). A model of synaptic
/// fluctuations: learning has to keep up with the diffusion it causes, which adds about
/// σ_w² per update to every squared weight until the gradient pulls back.
public struct WeightNoise: MLPFeedbackRule {
    public static let name = "weight_noise"
    public static let summary = "backprop + Gaussian weight noise after every update (synaptic fluctuations)"
    public static let eta = MLPParameter.eta(default: 0.02)
    public static let noise = RuleParameter("weight_noise", "standard deviation σ_w of the noise added to every weight after each update",
                                            range: .openClosed(0, 10), default: 0.003)
    public static let parameters = [eta, noise, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.backprop

    public var eta: Float
    public let sigma: Float
    public let batch: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        sigma = values.float(Self.noise)
        batch = values.integer(MLPParameter.batch)
    }

    public init(eta: Float, sigma: Float, batch: Int = 1) {
        self.eta = eta
        self.sigma = sigma
        self.batch = batch
    }

    public var weightNoise: Float { sigma }

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre (backprop)") }
}
