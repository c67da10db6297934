/// Symmetric Hebbian STDP window (e.g. hippocampal CA3, Mishra et al. 2016): both spike
/// orders potentiate,
///
///     Δw = A+ e^(-|Δt|/tau)   for either sign of Δt = t_post - t_pre
///
/// implemented with traces x_i += A+ (tau+) and y_j += A+ (tau-, all-to-all): pre spike of i
/// w_ij <- clip(w_ij + y_j); post spike of j w_ij <- clip(w_ij + x_i). A+ = a_plus w_max [weight
/// units]; tau+ = `tau_pre_ms`, tau- = `tau_post_ms` [ms in the scene]. Without a depressing
/// term every correlated input potentiates until it hits w_max.
public struct SymmetricSTDP: SpikeTimingRule {
    public static let name = "symmetric"
    public static let summary = "symmetric STDP window, Δw = A+ e^(−|Δt|/τ) for both orders (hippocampal CA3, Mishra et al. 2016)"
    public static let tauPre = AdditiveSTDP.tauPre
    public static let tauPost = AdditiveSTDP.tauPost
    public static let aPlus = AdditiveSTDP.aPlus
    public static let parameters = [tauPre, tauPost, aPlus]

    public let tauPre: Double
    public let tauPost: Double
    /// a_plus (dimensionless).
    public let aPlus: Float
    public private(set) var preIncrement: Float
    public var postIncrement: Float { preIncrement }

    public init(_ values: RuleParameterValues) {
        tauPre = values[Self.tauPre] / 1000
        tauPost = values[Self.tauPost] / 1000
        aPlus = values.float(Self.aPlus)
        preIncrement = aPlus
    }

    public mutating func bind(lo: Float, hi: Float) { preIncrement = aPlus * hi }

    @inline(__always)
    public func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float { y }
    @inline(__always)
    public func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float { x }

    public var equation: String {
        "symmetric STDP: Δw = A+ exp(−|t_post − t_pre| / τ) for both orders (pre spike w += y, post spike w += x; A+ = \(aPlus) w_max)"
    }
}
