/// A homeostatic rule for per-unit gains (`model = "adaptive_reservoir"`, `"gain_control"`):
/// once per update it moves each unit's gain so that the unit's activity approaches a
/// per-unit reference, leaving every synapse untouched (a neuromodulator's job).
///
/// Symbols shared by the equations: g_i the modulated gain of unit i (the inhibitory gain β_i
/// of the adaptive reservoir, or the response gain g_i of the gain-control circuit), a_i the
/// unit's activity at this update and ρ_i its reference (a target rate, or a reference mean
/// response); all dimensionless, one update per call.
public protocol GainModulationRule: LearningRule {
    /// One update of `gains` from `activity` and `reference` (all the same length).
    func adapt(_ gains: inout [Float], activity: [Float], reference: [Float])
}

/// The registry of gain-modulation rules: scenes and `--rule` find them here by name. A new
/// rule is one file in `Modulation/Rules/` and one line below.
public enum GainModulationRules {
    public static let registry = RuleRegistry<any GainModulationRule>(
        family: "gain_modulation",
        summary: "homeostasis of per-unit gains toward a reference activity (models adaptive_reservoir, gain_control)", [
            .init(FrozenGain.self) { $0 },
            .init(InhibitoryGainHomeostasis.self) { $0 },
            .init(GainRatioHomeostasis.self) { $0 },
        ])
}
