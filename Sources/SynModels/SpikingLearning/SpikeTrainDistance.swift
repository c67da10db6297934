#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Distances between two spike trains given as sorted step indices on a grid of `dt` seconds.
public enum SpikeTrainDistance {
    /// van Rossum (2001) distance, D² = (1/τ) ∫ (f − g)² dt with f, g the trains convolved with
    /// e^(−t/τ) (τ in s), integrated on the step grid over `steps` steps (dimensionless; one
    /// unmatched spike alone gives D² ≈ 1/2).
    public static func vanRossum(_ a: [Int], _ b: [Int], steps: Int, dt: Double, tau: Double) -> Double {
        let decay = exp(-dt / tau)
        var f = 0.0, g = 0.0, sum = 0.0
        var ia = 0, ib = 0
        for t in 0..<steps {
            f *= decay
            g *= decay
            while ia < a.count && a[ia] == t { f += 1; ia += 1 }
            while ib < b.count && b[ib] == t { g += 1; ib += 1 }
            sum += (f - g) * (f - g)
        }
        return (sum * dt / tau).squareRoot()
    }

    /// Greedy one-to-one matching of model spikes to target spikes within ±`window` steps, in
    /// time order (each target takes the earliest unmatched model spike in its window). Returns
    /// the unmatched target spikes (misses), the unmatched model spikes (extras) and the hits.
    public static func match(target: [Int], model: [Int], window: Int) -> (missed: [Int], extra: [Int], hits: Int) {
        var used = [Bool](repeating: false, count: model.count)
        var missed: [Int] = []
        var start = 0, hits = 0
        for t in target {
            while start < model.count && model[start] < t - window { start += 1 }
            var k = start
            while k < model.count && model[k] <= t + window && used[k] { k += 1 }
            if k < model.count && model[k] <= t + window && model[k] >= t - window {
                used[k] = true
                hits += 1
            } else {
                missed.append(t)
            }
        }
        let extra = model.indices.filter { !used[$0] }.map { model[$0] }
        return (missed, extra, hits)
    }

    /// Spike-match F1 = 2 hits / (target + model spikes); NaN when both trains are empty.
    public static func f1(hits: Int, target: Int, model: Int) -> Double {
        target + model > 0 ? 2 * Double(hits) / Double(target + model) : .nan
    }
}
