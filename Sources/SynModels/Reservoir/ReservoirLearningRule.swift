/// A plasticity rule of an `EIReservoir` (`model = "reservoir"`): it adapts the units' gains
/// a_i or biases b_i once per step, after the reservoir has stepped (the RLS readout learns
/// under every rule). Its own state (running means) is reset when it becomes active.
///
/// Symbols shared by the rules' equations: x_i the activation and r_i = (1 + tanh x_i) / 2 the
/// rate of unit i (N units), h_i = Σ_j W_ij r_j its recurrent input, G the global gain,
/// a_i > 0 its gain (the unit receives G a_i h_i), b_i its bias; all dimensionless, time in
/// steps (one input sample each).
public protocol ReservoirLearningRule: LearningRule {
    /// Resets the rule's state from the reservoir's current state (at the start and on every
    /// live switch).
    mutating func bind(_ reservoir: EIReservoir)
    /// One update of the gains or biases after a reservoir step; returns the probed unit's
    /// change (Δa_i or −Δb_i) and the rule's drive for it (flow control's
    /// R_t² ⟨dx²⟩ − dh_i², else 0).
    mutating func adapt(_ reservoir: inout EIReservoir, probe unit: Int) -> (delta: Float, flow: Float)
}

extension ReservoirLearningRule {
    public mutating func bind(_ reservoir: EIReservoir) {}
}

/// The registry of reservoir plasticity rules (`model = "reservoir"`): scenes and `--rule`
/// find them here by name. A new rule is one file in `Reservoir/Rules/` and one line below.
public enum ReservoirRules {
    public static let registry = RuleRegistry<any ReservoirLearningRule>(
        family: "reservoir", summary: "homeostatic plasticity of an E/I rate reservoir (model = \"reservoir\")", [
            .init(FixedReservoir.self) { $0 },
            .init(FlowControl.self) { $0 },
            .init(ReservoirIntrinsicPlasticity.self) { $0 },
        ])
}
