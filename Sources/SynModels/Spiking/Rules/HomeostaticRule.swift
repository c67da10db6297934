/// A homeostatic add-on of a spike-timing rule in `stdp_neuron` (synaptic scaling, intrinsic
/// plasticity): it runs after the step's STDP updates and drives each output neuron's rate
/// towards a target rho0 [Hz] by scaling its incoming weights or moving its threshold. Composed
/// with a spike-timing rule as a `SpikingRule` value (scene name `"additive+scaling"`).
public protocol HomeostaticRule: LearningRule {
    /// Target rate rho0 [Hz] (a live control).
    var targetRateHz: Double { get set }
    /// Allocates the rule's state for `postCount` neurons on a grid of `dt` [s], zeroed.
    mutating func bind(postCount: Int, dt: Double)
    /// One step after the STDP updates: the post spikes of this step, the plastic projection
    /// and the threshold offsets theta [mV] of the post neurons.
    mutating func step(postSpikes: SpikeBuffer, step: Int, projection: inout Projection, theta: inout [Float], dt: Double)
}

/// The target rate every homeostatic rule declares (`target_rate_hz`).
public enum HomeostasisParameter {
    public static let targetRate = RuleParameter("target_rate_hz", "target rate rho0 of each output neuron", unit: "Hz", range: .openClosed(0, 1000), default: 20)
}
