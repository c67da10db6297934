#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exponentially decaying per-neuron traces updated only at events (Brian2's `event-driven`):
/// each trace stores its value and the step it was last touched; reading at step t multiplies
/// by e^(-(t - t_last) dt / tau) from a precomputed table (0 beyond the table's ~30 tau).
///
///     tau dx/dt = -x,   x <- x + inc   (all-to-all)   or   x <- inc   (nearest-spike)
public struct EventTraces: Sendable {
    public let tau: Double
    var value: [Float]
    var last: [Int32]
    let table: [Float]

    /// `count` traces with time constant `tau` (s) on a grid of `dt` (s).
    public init(count: Int, tau: Double, dt: Double) {
        precondition(tau > 0 && dt > 0)
        self.tau = tau
        value = [Float](repeating: 0, count: count)
        last = [Int32](repeating: 0, count: count)
        // Lags up to ~30 tau (decay < 1e-13) or at most 2^20 steps.
        let n = min(1 << 20, Int((30 * tau / dt).rounded(.up)) + 2)
        table = (0..<n).map { Float(exp(-Double($0) * dt / tau)) }
    }

    public var count: Int { value.count }

    /// The trace of neuron i at step `step` (not before its last update).
    @inline(__always) public func value(_ i: Int, at step: Int) -> Float {
        let lag = step - Int(last[i])
        return lag < table.count ? value[i] * table[lag] : 0
    }

    /// x_i <- x_i(step) + inc.
    @inline(__always) public mutating func add(_ i: Int, _ inc: Float, at step: Int) {
        value[i] = value(i, at: step) + inc
        last[i] = Int32(truncatingIfNeeded: step)
    }

    /// x_i <- v (nearest-spike interaction).
    @inline(__always) public mutating func set(_ i: Int, _ v: Float, at step: Int) {
        value[i] = v
        last[i] = Int32(truncatingIfNeeded: step)
    }

    /// Zeroes every trace.
    public mutating func reset() {
        for i in 0..<value.count { value[i] = 0; last[i] = 0 }
    }
}
