import SynCore
/// Additive pair STDP with nearest-spike pairing (Izhikevich & Desai 2003; van Rossum et al.
/// 2000): each spike pairs only with the latest spike of the other side, because a spike
/// resets its trace instead of adding to it:
///
///     tau+ dx_i/dt = -x_i,   x_i <- A+ at each spike of input i
///     tau- dy_j/dt = -y_j,   y_j <- A- at each spike of neuron j
///     pre spike of i:   w_ij <- clip(w_ij - y_j)
///     post spike of j:  w_ij <- clip(w_ij + x_i)
///
/// Symbols and units as `AdditiveSTDP` (A+ = a_plus w_max, A- = a_minus_ratio A+ tau+/tau-, in
/// weight units; tau+, tau- in ms in the scene). At high rates the rule becomes rate-dependent
/// (it potentiates), unlike the all-to-all additive rule.
public struct NearestSpikeSTDP: SpikeTimingRule {
    public static let name = "nearest"
    public static let summary = "additive pair STDP with nearest-spike pairing: a spike resets its trace (Izhikevich & Desai 2003)"
    public static let parameters = AdditiveSTDP.parameters

    public private(set) var pair: AdditiveSTDP
    public init(_ values: RuleParameterValues) { pair = AdditiveSTDP(values) }

    public var tauPre: Double { pair.tauPre }
    public var tauPost: Double { pair.tauPost }
    public var nearestSpike: Bool { true }
    public var preIncrement: Float { pair.preIncrement }
    public var postIncrement: Float { pair.postIncrement }
    public mutating func bind(lo: Float, hi: Float) { pair.bind(lo: lo, hi: hi) }

    @inline(__always)
    public func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float { -y }
    @inline(__always)
    public func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float { x }

    public var equation: String {
        "nearest-spike STDP (x <- A+, y <- A- at each spike, τ+ = \(NumberFormat.shortest(tauPre * 1000)) ms, τ− = \(NumberFormat.shortest(tauPost * 1000)) ms): pre spike w −= y; post spike w += x; w clipped to [w_min, w_max]"
    }
}
