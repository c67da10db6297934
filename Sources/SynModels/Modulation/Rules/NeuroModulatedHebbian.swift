/// NHL, neuro-modulated Hebbian learning (Tang et al., CVPR 2023; reconstructed, science page
/// 2): the SoftHebb first layer (Δw_k = η_H y_k (x − u_k w_k), y = softmax(W1 x / τ)) and the
/// entropy-fed modulator (γ, β ← γ, β − η_m ∂H/∂(γ, β)) on every batch, Hebbian step first,
/// statistics re-estimated in between (build B). Everything else stays frozen.
public struct NeuroModulatedHebbian: TestTimeAdaptationRule {
    public static let name = "nhl"
    public static let summary = "NHL: SoftHebb first layer + entropy-fed modulator gamma, beta (Tang et al. 2023, reconstructed)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public var hebbianLayer: Bool { true }
    public var entropyModulator: Bool { true }
}
