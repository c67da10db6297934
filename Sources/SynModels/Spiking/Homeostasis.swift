#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inhibitory plasticity of Vogels et al. (2011, Science 334:1569) on an inhibitory projection
/// whose weights are negative (jumps into `gi`, mV). With traces x (per pre, I) and y (per post,
/// E), tau dx/dt = -x, x += 1 per spike (same for y), and |w| the inhibitory strength (mV):
///
///     pre (I) spike:   |w| += eta (y_j - alpha)       alpha = 2 rho0 tau
///     post (E) spike:  |w| += eta x_i
///
/// so each E neuron's rate is driven towards rho0 (Hz); |w| is clipped to [0, -wMin].
/// eta (mV), tau (s), rho0 (Hz). Only synapses onto post neurons `0..<plasticPost` change.
public struct InhibitorySTDP: Sendable {
    public var eta: Float
    /// Target rate rho0 (Hz); alpha = 2 rho0 tau follows it.
    public var rho0: Double { didSet { alpha = Float(2 * rho0 * tau) } }
    public let tau: Double
    public let plasticPost: Int
    public private(set) var pre: EventTraces
    public private(set) var post: EventTraces
    var alpha: Float
    public var probeSynapse: Int
    public private(set) var lastDelta: Float = 0

    public init(eta: Float, rho0: Double, tau: Double, projection: Projection, plasticPost: Int, dt: Double, probeSynapse: Int = 0) {
        self.eta = eta
        self.rho0 = rho0
        self.tau = tau
        self.plasticPost = plasticPost
        pre = EventTraces(count: projection.preCount, tau: tau, dt: dt)
        post = EventTraces(count: projection.postCount, tau: tau, dt: dt)
        alpha = Float(2 * rho0 * tau)
        self.probeSynapse = probeSynapse
    }

    public mutating func reset() {
        pre.reset(); post.reset(); lastDelta = 0
    }

    /// Pre-then-post updates for one step: `preSpikes[k] - preOffset` index the projection's
    /// rows, `postSpikes` its columns.
    public mutating func step(preSpikes: SpikeBuffer, preOffset: Int32, postSpikes: SpikeBuffer,
                              step: Int, projection: inout Projection) {
        let wFloor = projection.wMin  // most negative allowed
        for s in 0..<preSpikes.count {
            let i = Int(preSpikes[s] - preOffset)
            guard i >= 0 && i < projection.preCount else { continue }
            for k in Int(projection.rowStart[i])..<Int(projection.rowStart[i + 1]) {
                let j = Int(projection.post[k])
                guard j < plasticPost else { continue }
                let d = eta * (post.value(j, at: step) - alpha)
                projection.weight[k] = min(0, max(wFloor, projection.weight[k] - d))
                if k == probeSynapse { lastDelta = -d }
            }
            pre.add(i, 1, at: step)
        }
        for s in 0..<postSpikes.count {
            let j = Int(postSpikes[s])
            guard j >= 0 && j < plasticPost else { continue }
            for c in Int(projection.colStart[j])..<Int(projection.colStart[j + 1]) {
                let k = Int(projection.colSyn[c])
                let d = eta * pre.value(Int(projection.pre[k]), at: step)
                projection.weight[k] = min(0, max(wFloor, projection.weight[k] - d))
                if k == probeSynapse { lastDelta = -d }
            }
            post.add(j, 1, at: step)
        }
    }
}

/// Multiplicative synaptic scaling (Turrigiano et al. 1998; van Rossum et al. 2000): every
/// `periodSteps` each post neuron j scales all its incoming excitatory weights by
///
///     w_ij <- w_ij (1 + eta (rho0 - r_j) / rho0)
///
/// where r_j (Hz) is its rate estimated by a trace tauR dr/dt = -r, r += 1/tauR per spike.
/// eta is dimensionless per period, rho0 the target rate (Hz). Weights stay in [wMin, wMax].
public struct SynapticScaling: Sendable {
    public var eta: Double
    public var rho0: Double
    public let periodSteps: Int
    public private(set) var rate: EventTraces
    let invTau: Float

    public init(eta: Double, rho0: Double, tauRate: Double, periodSteps: Int, postCount: Int, dt: Double) {
        self.eta = eta
        self.rho0 = rho0
        self.periodSteps = max(1, periodSteps)
        rate = EventTraces(count: postCount, tau: tauRate, dt: dt)
        invTau = Float(1 / tauRate)
    }

    public mutating func reset() { rate.reset() }

    /// Rate estimate of post neuron j (Hz) at `step`.
    public func rateHz(_ j: Int, at step: Int) -> Double { Double(rate.value(j, at: step)) }

    public mutating func step(postSpikes: SpikeBuffer, step: Int, projection: inout Projection) {
        for s in 0..<postSpikes.count {
            let j = Int(postSpikes[s])
            if j >= 0 && j < rate.count { rate.add(j, invTau, at: step) }
        }
        guard (step + 1) % periodSteps == 0 else { return }
        for j in 0..<projection.postCount {
            let f = Float(1 + eta * (rho0 - rateHz(j, at: step)) / rho0)
            for c in Int(projection.colStart[j])..<Int(projection.colStart[j + 1]) {
                let k = Int(projection.colSyn[c])
                projection.weight[k] = min(projection.wMax, max(projection.wMin, projection.weight[k] * f))
            }
        }
    }
}

/// Intrinsic plasticity as an adaptive threshold (homeostatic, cf. Diehl & Cook 2015): each
/// step the threshold offset of neuron i moves by
///
///     theta_i <- theta_i + eta (S_i - rho0 dt)
///
/// with S_i = 1 if it spiked this step, so its rate is driven to rho0 (Hz). eta in mV; theta
/// in mV is added to the threshold Vt and clipped to [-thetaMax, thetaMax].
public struct IntrinsicPlasticity: Sendable {
    public var eta: Float
    public var rho0: Double
    public var thetaMax: Float

    public init(eta: Float, rho0: Double, thetaMax: Float) {
        self.eta = eta
        self.rho0 = rho0
        self.thetaMax = thetaMax
    }

    public func step(spikes: SpikeBuffer, theta: inout [Float], count: Int, dt: Double) {
        let down = eta * Float(rho0 * dt)
        for i in 0..<count { theta[i] = max(-thetaMax, theta[i] - down) }
        for s in 0..<spikes.count {
            let i = Int(spikes[s])
            if i >= 0 && i < count { theta[i] = min(thetaMax, theta[i] + eta) }
        }
    }
}

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
    let decayC: Float
    let decayD: Double

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
            projection.weight.withUnsafeMutableBufferPointer { wp in
                // A plain loop the compiler vectorises; tiny traces are flushed to 0 so long
                // silent stretches never run on denormals.
                var k = 0
                while k < n {
                    let c = cp[k]
                    wp[k] = min(hi, max(lo, wp[k] + g * c))
                    let cn = c * dc
                    cp[k] = abs(cn) < 1e-30 ? 0 : cn
                    k &+= 1
                }
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
