/// A plasticity rule of the STDP winner-take-all digit network (`model = "stdp_wta"`): the weight
/// change of synapse i → j when neuron j spikes, from the presynaptic trace x_i (1 at a
/// presynaptic spike, decaying with τ_pre) and the weight w_ij in [0, w_max].
public protocol WTAPlasticity: LearningRule {
    /// False for a rule that never changes a weight (the network skips the update loop and the
    /// per-sample normalisation).
    var learns: Bool { get }
    /// Presynaptic trace time constant (s).
    var tauPre: Double { get }
    /// Δw_ij at a spike of j.
    func atPost(w: Float, xPre: Float, wMax: Float) -> Float
}

/// The rules of the STDP winner-take-all network, found by name.
public enum WTARules {
    public static let registry = RuleRegistry<any WTAPlasticity>(
        family: "stdp_wta", summary: "plasticity of the STDP winner-take-all digit network (model = \"stdp_wta\")", [
            .init(DiehlCookSTDP.self) { $0 },
            .init(NoPlasticity.self) { $0 },
        ])
}

/// "none" in this family: weights stay as built (and are not normalised).
extension NoPlasticity: WTAPlasticity {
    public var learns: Bool { false }
    public var tauPre: Double { 0.02 }
    public func atPost(w: Float, xPre: Float, wMax: Float) -> Float { 0 }
}
