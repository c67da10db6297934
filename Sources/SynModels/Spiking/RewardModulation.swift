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
/// tauC, tauD (s); d, d0 dimensionless; eta (1/s). Rewards are scheduled for the step at which
/// they land; several may be pending at once (as in Izhikevich's `daspnet.m`, which keeps a
/// list of reward times), up to `maxPending` (later ones are dropped and counted).
public struct RewardModulation: Sendable {
    public var tauC: Double
    public var tauD: Double
    public var reward: Double
    public var baseline: Double
    public var eta: Double
    /// Dopamine level d.
    public private(set) var dopamine: Double = 0
    /// Steps at which scheduled rewards land, in ascending order.
    public private(set) var pending: [Int] = []
    public private(set) var rewardsDelivered = 0
    /// Rewards not scheduled because `maxPending` were already waiting.
    public private(set) var rewardsDropped = 0
    /// Bound on pending rewards (memory stays bounded whatever the pairing rate).
    public static let maxPending = 4096
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
        pending.removeAll()
    }

    /// Takes the parameters of `other` (a newly selected rule's); dopamine, the pending rewards
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

    /// Schedules a reward to land at `step` (returns false, counting it in `rewardsDropped`,
    /// when `maxPending` rewards are already waiting).
    @discardableResult
    public mutating func schedule(at step: Int) -> Bool {
        guard pending.count < Self.maxPending else {
            rewardsDropped += 1
            return false
        }
        // Keep the list sorted: most new rewards land after every pending one.
        var i = pending.count
        while i > 0 && pending[i - 1] > step { i -= 1 }
        pending.insert(step, at: i)
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
        var due = 0
        while due < pending.count && pending[due] <= step { due += 1 }
        if due > 0 {
            dopamine += reward * Double(due)
            pending.removeFirst(due)
            rewardsDelivered += due
        }
    }
}
