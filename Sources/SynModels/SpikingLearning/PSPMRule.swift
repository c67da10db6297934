/// A rule of the PSPM experiment (`model = "pspm"`, Bagley et al. 2020): which of the two
/// mechanisms run after each epoch, with the shared settings. The rules differ only in the
/// mechanisms, so the comparison arms are live switches of one scene.
public protocol PSPMRule: LearningRule {
    var settings: PSPMSettings { get }
    /// Pool updates after each epoch.
    var poolUpdates: Bool { get }
    /// Homeostatic row scaling after each epoch.
    var scaling: Bool { get }
}

/// The settings every PSPM rule reads (reconstructed values of the science page).
public struct PSPMSettings: Sendable, Equatable {
    public static let match = RuleParameter("match_ms", "spike-match window Δ: a model spike within ±Δ of a target spike is a hit (reconstructed)",
                                            unit: "ms", range: .closed(0.1, 100), default: 5)
    public static let pool = RuleParameter("pool_ms", "pool window Δ_pool: presynaptic neurons that spiked this long before the error (reconstructed)",
                                           unit: "ms", range: .closed(0.1, 200), default: 10)
    public static let probability = RuleParameter("p_update", "probability p that a pool member's weight is changed (reconstructed)",
                                                  range: .openClosed(0, 1), default: 0.5)
    public static let delta = RuleParameter("delta_frac", "weight step δ as a fraction of the mean |W| at the start (reconstructed)",
                                            range: .openClosed(0, 1), default: 0.02)
    public static let parameters = [match, pool, probability, delta]

    /// Δ (s).
    public let match: Double
    /// Δ_pool (s).
    public let pool: Double
    public let probability: Double
    public let deltaFraction: Float

    public init(_ values: RuleParameterValues) {
        match = values[Self.match] / 1000
        pool = values[Self.pool] / 1000
        probability = values[Self.probability]
        deltaFraction = values.float(Self.delta)
    }

    func equation(pool: Bool, scaling: Bool) -> String {
        var parts: [String] = []
        if pool {
            parts.append("missed target spike of i at t*: W_ij += δ w.p. \(probability) for each j that spiked in [t* − \(pool_ms) ms, t*); "
                         + "extra spike of i at t (no target within ±\(match_ms) ms): W_ij −= δ likewise; δ = \(deltaFraction) mean|W|")
        }
        if scaling { parts.append("after each epoch scale row i so Σ_j |W_ij| keeps its initial value") }
        return parts.isEmpty ? "no plasticity" : parts.joined(separator: "; ")
    }

    var match_ms: Double { match * 1000 }
    var pool_ms: Double { pool * 1000 }
}

/// PSPM, both mechanisms: per epoch, for every missed target spike of neuron i at t* each
/// presynaptic j that spiked in [t* − Δ_pool, t*) gains δ (mV) with probability p; for every
/// extra spike at t each such j loses δ; then row i is rescaled so Σ_j |W_ij| keeps its initial
/// value (Bagley, Bordelon, Moseley & Wessel 2020; window, p and δ reconstructed).
public struct PSPMBoth: PSPMRule {
    public static let name = "pspm"
    public static let summary = "PSPM: pool updates for missed/extra spikes + homeostatic row scaling (Bagley et al. 2020)"
    public static let parameters = PSPMSettings.parameters
    public let settings: PSPMSettings
    public init(_ values: RuleParameterValues) { settings = PSPMSettings(values) }
    public var poolUpdates: Bool { true }
    public var scaling: Bool { true }
    public var equation: String { settings.equation(pool: true, scaling: true) }
}

/// PSPM's pool updates alone (ΔW_ij = ±δ for presynaptic j active in the Δ_pool window before a
/// missed / extra spike of i, each with probability p), without the homeostatic scaling.
public struct PSPMPoolOnly: PSPMRule {
    public static let name = "pool_only"
    public static let summary = "PSPM pool updates without homeostatic scaling (ablation)"
    public static let parameters = PSPMSettings.parameters
    public let settings: PSPMSettings
    public init(_ values: RuleParameterValues) { settings = PSPMSettings(values) }
    public var poolUpdates: Bool { true }
    public var scaling: Bool { false }
    public var equation: String { settings.equation(pool: true, scaling: false) }
}

/// PSPM's homeostatic scaling alone: after each epoch W_ij ← W_ij · L_i(0) / Σ_j |W_ij|, with
/// L_i(0) row i's initial L1 norm (mV); no error-driven change.
public struct PSPMScalingOnly: PSPMRule {
    public static let name = "scaling_only"
    public static let summary = "PSPM homeostatic row scaling alone, no pool updates (ablation)"
    public static let parameters = PSPMSettings.parameters
    public let settings: PSPMSettings
    public init(_ values: RuleParameterValues) { settings = PSPMSettings(values) }
    public var poolUpdates: Bool { false }
    public var scaling: Bool { true }
    public var equation: String { settings.equation(pool: false, scaling: true) }
}

/// The rules of the PSPM experiment, found by name.
public enum PSPMRules {
    public static let registry = RuleRegistry<any PSPMRule>(
        family: "pspm", summary: "pre-synaptic pool modification and its ablations (model = \"pspm\")", [
            .init(PSPMBoth.self) { $0 },
            .init(PSPMPoolOnly.self) { $0 },
            .init(PSPMScalingOnly.self) { $0 },
        ])
}
