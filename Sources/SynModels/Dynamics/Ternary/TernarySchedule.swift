import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HESTIA's annealing schedule (authors' `thermo_scheduler.py`) over the progress
/// r = step / annealing steps ∈ [0, 1] of quantisation-aware training:
///
///     pressure  π(r) = min(1, r / r₀)                        w_eff = (1 − π) w + π w_q
///     T(r) = T₀                           for r ≤ r₀
///     T(r) = T₀ · ½ (1 + cos(π (r − r₀) / (1 − r₀)))       for r > r₀   (T(1) = 0: hard)
///
/// r₀ = 0.2: the first fifth ramps the quantised weights in at full temperature, the rest cools.
public struct TernarySchedule: Sendable, Equatable {
    public var t0: Double
    public var ramp: Double

    public init(t0: Double, ramp: Double = 0.2) {
        precondition(t0 > 0 && ramp > 0 && ramp < 1)
        self.t0 = t0
        self.ramp = ramp
    }

    /// π(r), r clamped to [0, 1].
    public func pressure(_ r: Double) -> Double { min(1, max(0, r) / ramp) }

    /// T(r), r clamped to [0, 1].
    public func temperature(_ r: Double) -> Double {
        let r = min(1, max(0, r))
        guard r > ramp else { return t0 }
        return t0 * 0.5 * (1 + cos(Double.pi * (r - ramp) / (1 - ramp)))
    }
}

/// HESTIA's Hessian guidance (authors' code): per weight tensor i with Hessian trace χ_i,
///
///     ζ_i = (log max(χ_i, 10⁻⁸) − mean) / (std + 10⁻⁸)   (population std over the tensors)
///     s_i = sigmoid(κ ζ_i),   τ_i = exp(−α s_i),   T_i(r) = τ_i T(r)
///
/// so with α > 0 the most sensitive (largest-trace) tensor gets the lowest temperature and is
/// quantised soonest; α < 0 keeps it warm longest (what the paper's text describes).
public enum HessianTemperatureScale {
    /// (ζ_i, s_i, τ_i) for each trace.
    public static func scales(traces: [Double], kappa: Double, alpha: Double) -> [(zscore: Double, sensitivity: Double, tau: Double)] {
        guard !traces.isEmpty else { return [] }
        let logs = traces.map { log(max($0.isFinite ? $0 : 1e-8, 1e-8)) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let sd = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count)).squareRoot()
        return logs.map { l in
            let z = (l - mean) / (sd + 1e-8)
            let s = 1 / (1 + exp(-kappa * z))
            return (z, s, exp(-alpha * s))
        }
    }

    /// tr ∇²_B L for each block B of parameters (a weight tensor): Hutchinson's estimator with
    /// `samples` Rademacher vectors supported on B, each applied through a central-difference
    /// Hessian-vector product of `gradient` at θ (`HessianProbe`) and read back on B.
    public static func blockTraces(at theta: [Float], blocks: [Range<Int>], samples: Int, step: Float, rng: inout RNG,
                                   gradient: ([Float]) -> [Float]) -> [Double] {
        blocks.map { b in
            HessianProbe.hutchinsonTrace(dimension: b.count, samples: samples, rng: &rng) { z in
                var v = [Float](repeating: 0, count: theta.count)
                v.replaceSubrange(b, with: z)
                return Array(HessianProbe.hessianVector(at: theta, v, step: step, gradient: gradient)[b])
            }
        }
    }
}
