/// A learning rule for the linear readouts z_k(t) = Σ_j w_kj r_j(t) of the what/when spiking
/// reservoir (`WhatWhenSimulation`, science page 8). The rule owns its weights: the three-factor
/// rule keeps them in Float, FORCE/RLS in Double beside its inverse-correlation matrix P.
public protocol WhatWhenReadoutRule: LearningRule {
    /// Zero weights and fresh rule state for `outputs` readouts of `inputs` traces.
    mutating func bind(inputs: Int, outputs: Int)
    /// z_k = Σ_j w_kj r_j for every readout k.
    func readout(_ r: [Float], into z: inout [Float])
    /// One update at one step from the traces r, the targets and the readouts z = W r of this
    /// step; `gate` is the attention gate g(t) (rules without a gate ignore it).
    mutating func learn(traces r: [Float], targets: [Float], readouts z: [Float], gate: Bool)
    /// The weight vector w_k of readout k.
    func weights(of k: Int) -> [Float]
    /// Half-width (ms) of the attention window around the expected stimulus time; nil when
    /// the rule has no gate.
    var gateMs: Double? { get }
    /// The learning rate a live control may change (nil: the rule has none).
    var learningRate: Double? { get }
    mutating func setLearningRate(_ value: Double)
}

/// The readout rules of `model = "what_when"`: every rule listed in `[rule] switchable` runs as
/// its own arm on the same reservoir and trials.
public enum WhatWhenRules {
    public static let registry = RuleRegistry<any WhatWhenReadoutRule>(
        family: "what_when",
        summary: "readouts of a spiking reservoir predicting what and when (model = \"what_when\"); every switchable rule runs side by side", [
            .init(GatedThreeFactorReadout.self) { $0 },
            .init(FORCEReadout.self) { $0 },
        ])
}
