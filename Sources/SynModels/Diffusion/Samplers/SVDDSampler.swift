#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Soft value-based decoding (SVDD-PM, Li et al. 2024) on the Dale–Langevin kernel: per particle
/// and step, draw M candidates y^(m) from the multiplicative kernel and keep one with probability
///
///     P(m) ∝ exp( v(y^(m), t − Δ) / α ),   v(y, t) = r( E[y_0 | y_t = y] )
///
/// α > 0 is the temperature (α → ∞: unguided; α → 0: argmax), r the reward of y = log x, and the
/// posterior mean is exact for the Gaussian-mixture target. No reward gradient is used.
public struct SVDDSampler: LogDiffusionSampler {
    public static let name = "svdd"
    public static let summary = "SVDD-PM guidance: M candidates from the multiplicative kernel, keep one ∝ exp(v/α), v = r(posterior mean) (Li et al. 2024)"
    public static let alpha = RuleParameter("alpha", "temperature α of the candidate weights exp(v/α) (the `alpha` control starts here)",
                                            range: .closed(0.01, 100), default: 0.5)
    public static let candidates = RuleParameter("candidates", "candidates M drawn per particle and step (the `candidates` control starts here)",
                                                 range: .closed(1, 64), default: 10, kind: .integer)
    public static let parameters = [alpha, candidates]
    public let defaults: DiffusionGuidance

    public init(_ values: RuleParameterValues) {
        defaults = DiffusionGuidance(alpha: values[Self.alpha], candidates: values.integer(Self.candidates))
    }

    public var guided: Bool { true }
    public var guidanceDefaults: DiffusionGuidance? { defaults }
    public var equation: String { "y_m ~ p_pre(.|y), m = 1..M;  keep m with P ∝ exp(r(E[y0|y_m]) / alpha)" }

    public func step(_ cloud: inout ParticleCloud, _ s: ReverseStep, rng: inout RNG) {
        let pt = s.marginal, bd = s.betaDelta
        let m = max(1, s.guidance.candidates), alpha = s.guidance.alpha
        var ys = [Double](repeating: 0, count: m), logw = [Double](repeating: 0, count: m)
        var ess = 0.0, counted = 0
        for i in cloud.y.indices where cloud.y[i].isFinite {
            let y = cloud.y[i], score = pt.score(y)
            var top = -Double.infinity
            for k in 0..<m {
                ys[k] = daleLangevinMove(y, score: score, betaDelta: bd, xi: Double(rng.normal()))
                logw[k] = s.value(ys[k]) / alpha
                top = max(top, logw[k])
            }
            var total = 0.0, squares = 0.0
            for k in 0..<m {
                logw[k] = exp(logw[k] - top)
                total += logw[k]
                squares += logw[k] * logw[k]
            }
            ess += total * total / squares / Double(m)
            counted += 1
            var u = rng.uniformDouble() * total
            var pick = m - 1
            for k in 0..<m {
                u -= logw[k]
                if u < 0 { pick = k; break }
            }
            cloud.y[i] = ys[pick]
        }
        if counted > 0 {
            cloud.essSum += ess / Double(counted)
            cloud.essCount += 1
        }
    }
}
