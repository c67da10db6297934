import SynCore
/// Multiplicative (weight-dependent, soft-bound) pair STDP (van Rossum, Bi & Turrigiano 2000):
/// depression scales with the distance from the lower bound, potentiation with the distance
/// to the upper bound:
///
///     x_i += A+, y_j += A- per spike (all-to-all, decaying with tau+, tau-)
///     pre spike of i:   w_ij <- clip(w_ij - y_j (w_ij - w_min)/(w_max - w_min))
///     post spike of j:  w_ij <- clip(w_ij + x_i (w_max - w_ij)/(w_max - w_min))
///
/// Symbols and units as `AdditiveSTDP` (A+ = a_plus w_max, A- = a_minus_ratio A+ tau+/tau-, in
/// weight units; tau+, tau- in ms in the scene). The weights settle in one central peak (no
/// competition), unlike the bimodal additive rule.
public struct MultiplicativeSTDP: SpikeTimingRule {
    public static let name = "multiplicative"
    public static let summary = "weight-dependent pair STDP with soft bounds, Δw+ ∝ (w_max − w), Δw− ∝ (w − w_min) (van Rossum et al. 2000)"
    public static let parameters = AdditiveSTDP.parameters

    public private(set) var pair: AdditiveSTDP
    public init(_ values: RuleParameterValues) { pair = AdditiveSTDP(values) }

    public var tauPre: Double { pair.tauPre }
    public var tauPost: Double { pair.tauPost }
    public var preIncrement: Float { pair.preIncrement }
    public var postIncrement: Float { pair.postIncrement }
    public mutating func bind(lo: Float, hi: Float) { pair.bind(lo: lo, hi: hi) }

    @inline(__always)
    public func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float { -y * (w - lo) / span }
    @inline(__always)
    public func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float { x * (hi - w) / span }

    public var equation: String {
        "multiplicative STDP (all-to-all, τ+ = \(NumberFormat.shortest(tauPre * 1000)) ms, τ− = \(NumberFormat.shortest(tauPost * 1000)) ms): pre spike w −= y (w − w_min)/(w_max − w_min); post spike w += x (w_max − w)/(w_max − w_min)"
    }
}
