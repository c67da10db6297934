import SynCore
/// Additive pair STDP with hard bounds and all-to-all pairing (Song, Miller & Abbott 2000):
///
///     tau+ dx_i/dt = -x_i,   x_i += A+ at each spike of input i
///     tau- dy_j/dt = -y_j,   y_j += A- at each spike of neuron j
///     pre spike of i:   w_ij <- clip(w_ij - y_j)
///     post spike of j:  w_ij <- clip(w_ij + x_i)
///
/// i.e. each pair adds A+ e^(-Δt/tau+) when pre leads (Δt = t_post - t_pre > 0) and
/// -A- e^(Δt/tau-) when post leads. x, y, A+, A-, w in weight units; A+ = a_plus w_max and
/// A- = a_minus_ratio A+ tau+/tau- (a_plus, a_minus_ratio dimensionless); tau+ = `tau_pre_ms`,
/// tau- = `tau_post_ms` [ms in the scene, s inside]; clip to [w_min, w_max]. With A- tau- > A+
/// tau+ the synapses compete and the weight distribution turns bimodal.
public struct AdditiveSTDP: SpikeTimingRule {
    public static let name = "additive"
    public static let summary = "additive pair STDP, Δw = A+ e^(−Δt/τ+) or −A− e^(Δt/τ−), hard bounds (Song, Miller & Abbott 2000)"
    public static let tauPre = STDPParameter.tauPre()
    public static let tauPost = STDPParameter.tauPost()
    public static let aPlus = STDPParameter.aPlus()
    public static let aMinusRatio = STDPParameter.aMinusRatio()
    public static let parameters = [tauPre, tauPost, aPlus, aMinusRatio]

    public let tauPre: Double
    public let tauPost: Double
    /// a_plus, a_minus_ratio (dimensionless).
    public let aPlus: Float
    public let aMinusRatio: Float
    public private(set) var preIncrement: Float
    public private(set) var postIncrement: Float

    public init(_ values: RuleParameterValues) {
        tauPre = values[Self.tauPre] / 1000
        tauPost = values[Self.tauPost] / 1000
        aPlus = values.float(Self.aPlus)
        aMinusRatio = values.float(Self.aMinusRatio)
        (preIncrement, postIncrement) = pairAmplitudes(aPlus: aPlus, aMinusRatio: aMinusRatio, tauPre: tauPre, tauPost: tauPost, hi: 1)
    }

    public mutating func bind(lo: Float, hi: Float) {
        (preIncrement, postIncrement) = pairAmplitudes(aPlus: aPlus, aMinusRatio: aMinusRatio, tauPre: tauPre, tauPost: tauPost, hi: hi)
    }

    @inline(__always)
    public func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float { -y }
    @inline(__always)
    public func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float { x }

    public var equation: String {
        "additive STDP (all-to-all; x += A+, y += A- per spike, decaying with τ+ = \(NumberFormat.shortest(tauPre * 1000)) ms, τ− = \(NumberFormat.shortest(tauPost * 1000)) ms): pre spike w −= y; post spike w += x; w clipped to [w_min, w_max]; A+ = \(aPlus) w_max, A− = \(aMinusRatio) A+ τ+/τ−"
    }
}
