#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The trace STDP rule of Diehl & Cook (2015), as reviewed by Tavanaei et al. (2019): at a
/// spike of postsynaptic neuron j, every input synapse moves by
///
///     Δw_ij = η (x_i − x_tar) (w_max − w_ij)^μ,   then w_ij ← clip(w_ij, 0, w_max)
///
/// x_i is input i's trace (dimensionless, set to 1 at its spike, τ_pre dx/dt = −x; τ_pre in ms
/// in the scene), η a dimensionless rate, x_tar the trace level below which a synapse is
/// depressed, μ the weight dependence (0: additive). Inputs that fired shortly before the
/// spike grow, silent ones shrink: the neuron's weights drift toward the images it wins.
public struct DiehlCookSTDP: WTAPlasticity {
    public static let name = "diehl_cook"
    public static let summary = "trace STDP at postsynaptic spikes, Δw = η (x_pre − x_tar)(w_max − w)^μ (Diehl & Cook 2015)"
    public static let eta = RuleParameter("eta", "learning rate η per postsynaptic spike", range: .openClosed(0, 1), default: 0.01)
    public static let xTarget = RuleParameter("x_tar", "target trace x_tar: inputs with a smaller trace are depressed", range: .closed(0, 1), default: 0.4)
    public static let mu = RuleParameter("mu", "weight dependence μ of (w_max − w)^μ (0 = additive)", range: .closed(0, 2), default: 0.2)
    public static let tauPreParameter = RuleParameter("tau_pre_ms", "presynaptic trace time constant τ_pre", unit: "ms",
                                                      range: .closed(1, 1000), default: 20)
    public static let parameters = [eta, xTarget, mu, tauPreParameter]

    public let eta: Float
    public let xTarget: Float
    public let mu: Float
    public let tauPre: Double

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        xTarget = values.float(Self.xTarget)
        mu = values.float(Self.mu)
        tauPre = values[Self.tauPreParameter] / 1000
    }

    public var learns: Bool { true }

    @inline(__always)
    public func atPost(w: Float, xPre: Float, wMax: Float) -> Float {
        let room = max(0, wMax - w)
        let dependence: Float = mu == 0 ? 1 : powf(room, mu)
        return eta * (xPre - xTarget) * dependence
    }

    public var equation: String {
        "at a spike of j: Δw_ij = η (x_i − x_tar)(w_max − w_ij)^μ, clip to [0, w_max]; η = \(eta), x_tar = \(xTarget), μ = \(mu), "
            + "τ_pre = \(tauPre * 1000) ms (x_i = 1 at an input spike)"
    }
}
