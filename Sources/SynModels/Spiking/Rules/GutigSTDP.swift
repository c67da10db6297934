#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Weight-dependent STDP of Gütig, Aharonov, Rotter & Sompolinsky (2003, J Neurosci 23:3697):
/// on the weight normalised by the bounds, ŵ = (w − w_min)/(w_max − w_min) ∈ [0, 1],
///
///     Δŵ+ =  λ (1 − ŵ)^μ K+(Δt)      (pre before post, Δt = t_post − t_pre > 0)
///     Δŵ− = −λ α ŵ^μ K−(Δt)          (post before pre)
///     K+(Δt) = e^(−Δt/tau+),  K−(Δt) = e^(Δt/tau−)
///
/// all-to-all, as traces x_i += A+, y_j += α A+ per spike (A+ = λ (w_max − w_min), weight
/// units): post spike of j w_ij <- clip(w_ij + x_i (1 − ŵ_ij)^μ); pre spike of i
/// w_ij <- clip(w_ij − y_j ŵ_ij^μ). λ = `a_plus` (dimensionless, relative to the bound span, the
/// shared meaning of `a_plus`), α = `alpha` (dimensionless depression/potentiation ratio, > 1:
/// depression dominates), μ = `mu` ∈ [0, 1] (dimensionless), tau+ = `tau_pre_ms`, tau− =
/// `tau_post_ms` [ms in the scene]. μ = 0 is the additive rule (A− = α A+; bimodal weights),
/// μ = 1 the multiplicative one (one central peak); small μ already removes the bimodality for
/// uncorrelated inputs.
public struct GutigSTDP: SpikeTimingRule {
    public static let name = "gutig"
    public static let summary = "weight-dependent STDP, Δw+ = λ (1 − ŵ)^μ K, Δw− = −λ α ŵ^μ K: μ interpolates additive (0) and multiplicative (1) (Gütig et al. 2003)"
    public static let tauPre = AdditiveSTDP.tauPre
    public static let tauPost = AdditiveSTDP.tauPost
    public static let aPlus = AdditiveSTDP.aPlus
    public static let alpha = RuleParameter("alpha", "depression/potentiation ratio α (A− = α A+)", range: .closed(0, 10), default: 1.05)
    public static let mu = RuleParameter("mu", "weight dependence μ: 0 additive, 1 multiplicative", range: .closed(0, 1), default: 0.4)
    public static let parameters = [tauPre, tauPost, aPlus, alpha, mu]

    public let tauPre: Double
    public let tauPost: Double
    /// λ (a_plus), α, μ (dimensionless).
    public let lambda: Float
    public let alpha: Float
    public let mu: Float
    public private(set) var preIncrement: Float
    public private(set) var postIncrement: Float

    public init(_ values: RuleParameterValues) {
        tauPre = values[Self.tauPre] / 1000
        tauPost = values[Self.tauPost] / 1000
        lambda = values.float(Self.aPlus)
        alpha = values.float(Self.alpha)
        mu = values.float(Self.mu)
        preIncrement = lambda
        postIncrement = alpha * lambda
    }

    public mutating func bind(lo: Float, hi: Float) {
        preIncrement = lambda * (hi - lo)
        postIncrement = alpha * preIncrement
    }

    @inline(__always)
    public func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float {
        -y * powf(max(0, (w - lo) / span), mu)
    }
    @inline(__always)
    public func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float {
        x * powf(max(0, (hi - w) / span), mu)
    }

    public var equation: String {
        "Gütig STDP (μ = \(mu), α = \(alpha), λ = \(lambda)): post spike w += x (1 − ŵ)^μ; pre spike w −= y ŵ^μ; ŵ = (w − w_min)/(w_max − w_min); x += λ (w_max − w_min), y += α λ (w_max − w_min) per spike"
    }
}
