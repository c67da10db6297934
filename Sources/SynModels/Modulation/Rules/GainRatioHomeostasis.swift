#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multiplicative homeostatic gain control (the rule the science page builds after Duong,
/// Bredenberg, Heeger & Simoncelli, arXiv 2305.19869, whose efficient-coding objective was
/// not available):
///
///     g_i ← g_i · (r̄_i^ref / r̄_i)^γ
///
/// r̄_i the mean steady-state response of unit i over the current stimulus ensemble, r̄_i^ref
/// its mean under the uniform ensemble with all gains 1, γ the exponent (dimensionless). The
/// fixed point equalises every unit's mean response with its reference. Needs r̄_i > 0 and
/// r̄_i^ref > 0; a unit where either is not positive keeps its gain.
public struct GainRatioHomeostasis: GainModulationRule {
    public static let name = "gain_ratio"
    public static let summary = "g_i <- g_i (r_ref / r_mean)^gamma, homeostatic gain control (after Duong et al. 2023)"
    public static let gamma = RuleParameter("gamma", "exponent γ of the gain update", range: .openClosed(0, 2), default: 0.2)
    public static let parameters = [gamma]

    public let gamma: Float

    public init(_ values: RuleParameterValues) { gamma = values.float(Self.gamma) }
    public init(gamma: Float = 0.2) { self.gamma = gamma }

    public var equation: String { "g_i <- g_i (rbar_ref_i / rbar_i)^\(gamma)" }

    public func adapt(_ gains: inout [Float], activity: [Float], reference: [Float]) {
        for i in gains.indices where activity[i] > 0 && reference[i] > 0 {
            gains[i] *= powf(reference[i] / activity[i], gamma)
        }
    }
}
