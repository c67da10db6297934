#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The third factor of a three-factor rule (Izhikevich 2007, "distal reward"): a global
/// dopamine-like modulator d gates STDP-tagged eligibility traces c_ij into weight changes.
///
///     tauC dc/dt = -c + STDP(pre, post)       (c from `STDP` in eligibility mode)
///     tauD dd/dt = -d + reward * sum_k delta(t - t_k)    (t_k: reward times, s)
///     dw/dt = eta (d + d0) c                  (w clipped to [wMin, wMax])
///
/// tauC, tauD (s); d, d0 dimensionless; eta (1/s). A reward is due `delaySteps` after the
/// event that earns it.
public struct RewardModulation: Sendable {
    public var tauC: Double
    public var tauD: Double
    public var reward: Double
    public var baseline: Double
    public var eta: Double
    /// Dopamine level d.
    public private(set) var dopamine: Double = 0
    /// Step at which the pending reward lands (-1: none).
    public private(set) var pendingStep = -1
    public private(set) var rewardsDelivered = 0
    var decayC: Float
    var decayD: Double

    public init(tauC: Double, tauD: Double, reward: Double, baseline: Double, eta: Double, dt: Double) {
        self.tauC = tauC
        self.tauD = tauD
        self.reward = reward
        self.baseline = baseline
        self.eta = eta
        decayC = Float(exp(-dt / tauC))
        decayD = exp(-dt / tauD)
    }

    public mutating func reset() {
        dopamine = 0
        pendingStep = -1
    }

    /// Takes the parameters of `other` (a newly selected rule's); dopamine, the pending reward
    /// and the reward count are kept.
    public mutating func adopt(_ other: RewardModulation) {
        tauC = other.tauC
        tauD = other.tauD
        reward = other.reward
        baseline = other.baseline
        eta = other.eta
        decayC = other.decayC
        decayD = other.decayD
    }

    /// w_k <- clip(w_k + gain c_k), c_k <- decay c_k for k < count: a plain loop over two base
    /// pointers passed by value (no captured buffer to reload), which the compiler vectorises;
    /// tiny traces are flushed to 0 so long silent stretches never run on denormals.
    @inline(never)
    static func gate(eligibility cp: UnsafeMutablePointer<Float>, weights wp: UnsafeMutablePointer<Float>, count n: Int,
                     gain g: Float, decay dc: Float, lo: Float, hi: Float) {
        var k = 0
        while k < n {
            let c = cp[k]
            wp[k] = min(hi, max(lo, wp[k] + g * c))
            let cn = c * dc
            cp[k] = abs(cn) < 1e-30 ? 0 : cn
            k &+= 1
        }
    }

    /// Schedules a reward at `step` unless one is already pending (returns false then).
    @discardableResult
    public mutating func schedule(at step: Int) -> Bool {
        guard pendingStep < 0 else { return false }
        pendingStep = step
        return true
    }

    /// One step: weights move by eta (d + d0) c dt, eligibilities and dopamine decay, and a due
    /// reward is added to d. `synapses` limits the update to a prefix of the projection.
    public mutating func step(_ step: Int, dt: Double, eligibility: inout [Float], projection: inout Projection) {
        let g = Float(eta * (dopamine + baseline) * dt)
        let dc = decayC
        let lo = projection.wMin, hi = projection.wMax
        let n = min(eligibility.count, projection.synapseCount)
        eligibility.withUnsafeMutableBufferPointer { cp in
            guard let c = cp.baseAddress else { return }
            projection.weight.withUnsafeMutableBufferPointer { wp in
                guard let w = wp.baseAddress else { return }
                Self.gate(eligibility: c, weights: w, count: n, gain: g, decay: dc, lo: lo, hi: hi)
            }
        }
        dopamine *= decayD
        if dopamine < 1e-12 { dopamine = 0 }
        if step == pendingStep {
            dopamine += reward
            pendingStep = -1
            rewardsDelivered += 1
        }
    }
}
