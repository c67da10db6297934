#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Population SVDD (sequential Monte Carlo): move every particle with the multiplicative kernel,
/// then resample the whole population with incremental weights
///
///     w_i ∝ exp( [v(y_i, t − Δ) − v_i(t)] / α )
///
/// (new soft value minus the particle's previous one; the prior draws carry exp(v(y, 1)/α), so
/// the product telescopes to exp(r(y_0)/α) and the cloud targets p_0(y) e^{r(y)/α} / Z).
/// Systematic resampling; the effective sample size (Σw)²/Σw² is reported as a fraction of N.
public struct SMCGuidedSampler: LogDiffusionSampler {
    public static let name = "smc"
    public static let summary = "population SVDD: multiplicative moves, then systematic resampling ∝ exp(Δv/α) (telescopes to the α-tilted target)"
    public static let alpha = RuleParameter("alpha", "temperature α of the incremental weights (the `alpha` control starts here)",
                                            range: .closed(0.01, 100), default: 0.5)
    public static let parameters = [alpha]
    public let defaults: DiffusionGuidance

    public init(_ values: RuleParameterValues) {
        defaults = DiffusionGuidance(alpha: values[Self.alpha])
    }

    public var guided: Bool { true }
    public var guidanceDefaults: DiffusionGuidance? { defaults }
    public var equation: String { "y_i ~ p_pre(.|y_i);  resample with w_i ∝ exp((v(y_i, t-dt) - v_i) / alpha)" }

    public func begin(_ cloud: inout ParticleCloud, _ s: ReverseStep, rng: inout RNG) {
        // Initial weights exp(v(y, 1)/α): v at t = 1 (s.t = 1, Δ = 0 gives B(1)).
        let at1 = ReverseStep(schedule: s.schedule, target: s.target, t: 1, delta: 0, guidance: s.guidance)
        cloud.value = cloud.y.map { at1.value($0) }
        let w = cloud.value.map { $0 / s.guidance.alpha }
        Self.resample(&cloud, logWeights: w, rng: &rng)
    }

    public func step(_ cloud: inout ParticleCloud, _ s: ReverseStep, rng: inout RNG) {
        let pt = s.marginal, bd = s.betaDelta, alpha = s.guidance.alpha
        if cloud.value.count != cloud.y.count { cloud.value = cloud.y.map { s.value($0) } }
        var logw = [Double](repeating: 0, count: cloud.y.count)
        for i in cloud.y.indices where cloud.y[i].isFinite {
            let y = cloud.y[i]
            let moved = daleLangevinMove(y, score: pt.score(y), betaDelta: bd, xi: Double(rng.normal()))
            let v = s.value(moved)
            logw[i] = (v - cloud.value[i]) / alpha
            cloud.y[i] = moved
            cloud.value[i] = v
        }
        Self.resample(&cloud, logWeights: logw, rng: &rng)
    }

    /// Systematic resampling of the cloud (positions and values) by exp(logWeights); records the ESS.
    static func resample(_ cloud: inout ParticleCloud, logWeights: [Double], rng: inout RNG) {
        let n = cloud.y.count
        guard n > 0 else { return }
        let top = logWeights.max() ?? 0
        var w = logWeights.map { $0.isFinite ? exp($0 - top) : 0 }
        let total = w.reduce(0, +)
        guard total > 0, total.isFinite else { return }
        let squares = w.reduce(0) { $0 + $1 * $1 }
        cloud.essSum += total * total / squares / Double(n)
        cloud.essCount += 1
        for i in 0..<n { w[i] /= total }
        var y = [Double](repeating: 0, count: n), v = [Double](repeating: 0, count: n)
        let u0 = rng.uniformDouble() / Double(n)
        var cum = w[0], j = 0
        for i in 0..<n {
            let u = u0 + Double(i) / Double(n)
            while u > cum && j < n - 1 { j += 1; cum += w[j] }
            y[i] = cloud.y[j]
            v[i] = cloud.value.count == n ? cloud.value[j] : 0
        }
        cloud.y = y
        cloud.value = v
    }
}
