/// Spike-timing-dependent plasticity of one `Projection`, with event-driven traces.
///
/// Traces (dimensionless unless noted; pre trace x_i per presynaptic neuron, post trace y_j per
/// postsynaptic neuron; tau+ = `tauPre`, tau- = `tauPost`, in s):
///
///     tau+ dx/dt = -x,  x <- x + A+ at each pre spike   (nearest: x <- A+)
///     tau- dy/dt = -y,  y <- y + A- at each post spike  (nearest: y <- A-)
///
/// Updates of w_ij (same unit as the weight; A+ and A- > 0 in weight units), then clipped to
/// [wMin, wMax] of the projection:
/// - `additive` (Song, Miller & Abbott 2000): pre spike w -= y_j; post spike w += x_i
///   (the window A+ e^(-dt/tau+) for pre-before-post, -A- e^(-dt/tau-) for post-before-pre)
/// - `multiplicative` (weight-dependent, soft bounds; van Rossum et al. 2000):
///   pre spike w -= y_j (w - wMin)/(wMax - wMin); post spike w += x_i (wMax - w)/(wMax - wMin)
/// - `symmetric` (symmetric Hebbian window, e.g. hippocampal CA3, Mishra et al. 2016):
///   both orders potentiate, pre spike w += y'_j, post spike w += x_i, with y' built with A+
/// - `triplet` (Pfister & Gerstner 2006, all-to-all): traces r1 (tau+), r2 (tauX), o1 (tau-),
///   o2 (tauY), each +1 per spike; pre spike w -= o1 (A2- + A3- r2); post spike
///   w += r1 (A2+ + A3+ o2), with r2 and o2 read just before their own increment.
///
/// In `eligibility` mode the change goes into a per-synapse eligibility c_ij instead of w
/// (three-factor rules, see `RewardModulation`). Within a step the pre-spike updates run before
/// the post-spike updates (Brian2's pathway order), so a simultaneous pair potentiates.
public struct STDP: Sendable {
    /// The weight update at each spike (see the type's documentation).
    public enum Rule: String, Sendable, CaseIterable {
        case additive, multiplicative, symmetric, triplet
    }

    /// Which spike pairs interact: all of them (traces add) or only the nearest (traces reset).
    public enum Pairing: String, Sendable, CaseIterable {
        case allToAll = "all-to-all"
        case nearest
    }

    /// Trace time constants (s) and amplitudes (weight units) of the pair and triplet rules.
    public struct Parameters: Sendable, Equatable {
        /// tau+ (s): pre trace time constant.
        public var tauPre: Double = 0.020
        /// tau- (s): post trace time constant.
        public var tauPost: Double = 0.020
        /// A+ (weight units): potentiation amplitude.
        public var aPlus: Float = 1e-4
        /// A- (weight units, > 0): depression amplitude.
        public var aMinus: Float = 1.05e-4
        public var pairing: Pairing = .allToAll
        /// Triplet rule: tauX, tauY (s) and amplitudes (weight units).
        public var tauX: Double = 0.101
        public var tauY: Double = 0.125
        public var a2Plus: Float = 5e-12
        public var a3Plus: Float = 6.2e-5
        public var a2Minus: Float = 7e-5
        public var a3Minus: Float = 2.3e-6
        public init() {}
    }

    public var rule: Rule
    public var parameters: Parameters
    /// When true, changes accumulate in `eligibility` instead of the weights.
    public let eligibilityMode: Bool
    public private(set) var pre: EventTraces
    public private(set) var post: EventTraces
    public private(set) var pre2: EventTraces
    public private(set) var post2: EventTraces
    /// Per-synapse eligibility (eligibility mode only).
    public var eligibility: [Float]
    /// The synapse whose last change is kept for the teaching probe.
    public var probeSynapse: Int
    /// Last change applied to `probeSynapse` (weight or eligibility units).
    public private(set) var lastDelta: Float = 0

    public init(rule: Rule, parameters: Parameters, projection: Projection, dt: Double,
                eligibilityMode: Bool = false, probeSynapse: Int = 0) {
        self.rule = rule
        self.parameters = parameters
        self.eligibilityMode = eligibilityMode
        let p = parameters
        pre = EventTraces(count: projection.preCount, tau: p.tauPre, dt: dt)
        post = EventTraces(count: projection.postCount, tau: p.tauPost, dt: dt)
        pre2 = EventTraces(count: rule == .triplet ? projection.preCount : 0, tau: p.tauX, dt: dt)
        post2 = EventTraces(count: rule == .triplet ? projection.postCount : 0, tau: p.tauY, dt: dt)
        eligibility = [Float](repeating: 0, count: eligibilityMode ? projection.synapseCount : 0)
        self.probeSynapse = probeSynapse
    }

    /// Clears traces, eligibilities and the probe (weights are untouched).
    public mutating func reset() {
        pre.reset(); post.reset(); pre2.reset(); post2.reset()
        for k in 0..<eligibility.count { eligibility[k] = 0 }
        lastDelta = 0
    }

    @inline(__always)
    mutating func apply(_ k: Int, _ delta: Float, _ w: inout [Float], lo: Float, hi: Float) {
        if eligibilityMode {
            eligibility[k] += delta
        } else {
            w[k] = min(hi, max(lo, w[k] + delta))
        }
        if k == probeSynapse { lastDelta = delta }
    }

    /// Plasticity for presynaptic spikes `spikes[k] - offset` at `step`.
    public mutating func onPre(_ spikes: SpikeBuffer, offset: Int32 = 0, step: Int, projection: inout Projection) {
        let lo = projection.wMin, hi = projection.wMax
        let span = hi - lo
        let ap = parameters.aPlus
        let nearest = parameters.pairing == .nearest
        for s in 0..<spikes.count {
            let i = Int(spikes[s] - offset)
            guard i >= 0 && i < projection.preCount else { continue }
            let r2 = rule == .triplet ? pre2.value(i, at: step) : 0
            for k in Int(projection.rowStart[i])..<Int(projection.rowStart[i + 1]) {
                let j = Int(projection.post[k])
                let y = post.value(j, at: step)
                let delta: Float
                switch rule {
                case .additive: delta = -y
                case .multiplicative: delta = -y * (projection.weight[k] - lo) / span
                case .symmetric: delta = y
                case .triplet: delta = -y * (parameters.a2Minus + parameters.a3Minus * r2)
                }
                apply(k, delta, &projection.weight, lo: lo, hi: hi)
            }
            switch rule {
            case .triplet:
                pre.add(i, 1, at: step)
                pre2.add(i, 1, at: step)
            default:
                if nearest { pre.set(i, ap, at: step) } else { pre.add(i, ap, at: step) }
            }
        }
    }

    /// Plasticity for postsynaptic spikes `spikes[k] - offset` at `step`.
    public mutating func onPost(_ spikes: SpikeBuffer, offset: Int32 = 0, step: Int, projection: inout Projection) {
        let lo = projection.wMin, hi = projection.wMax
        let span = hi - lo
        let am = rule == .symmetric ? parameters.aPlus : parameters.aMinus
        let nearest = parameters.pairing == .nearest
        for s in 0..<spikes.count {
            let j = Int(spikes[s] - offset)
            guard j >= 0 && j < projection.postCount else { continue }
            let o2 = rule == .triplet ? post2.value(j, at: step) : 0
            for c in Int(projection.colStart[j])..<Int(projection.colStart[j + 1]) {
                let k = Int(projection.colSyn[c])
                let x = pre.value(Int(projection.pre[k]), at: step)
                let delta: Float
                switch rule {
                case .additive, .symmetric: delta = x
                case .multiplicative: delta = x * (hi - projection.weight[k]) / span
                case .triplet: delta = x * (parameters.a2Plus + parameters.a3Plus * o2)
                }
                apply(k, delta, &projection.weight, lo: lo, hi: hi)
            }
            switch rule {
            case .triplet:
                post.add(j, 1, at: step)
                post2.add(j, 1, at: step)
            default:
                if nearest { post.set(j, am, at: step) } else { post.add(j, am, at: step) }
            }
        }
    }

    /// The update equation in plain text (teaching panel).
    public var equation: String {
        let pairing = parameters.pairing == .nearest ? "nearest-spike: x <- A+, y <- A-" : "all-to-all: x += A+, y += A-"
        let target = eligibilityMode ? "c" : "w"
        switch rule {
        case .additive:
            return "additive STDP (\(pairing); x, y decay with tau+, tau-): pre spike \(target) -= y; post spike \(target) += x; w clipped to [wmin, wmax]"
        case .multiplicative:
            return "multiplicative STDP (\(pairing)): pre spike \(target) -= y (w - wmin)/(wmax - wmin); post spike \(target) += x (wmax - w)/(wmax - wmin)"
        case .symmetric:
            return "symmetric STDP: dw = A+ exp(-|t_post - t_pre| / tau) for both orders (pre spike \(target) += y, post spike \(target) += x)"
        case .triplet:
            return "triplet STDP (Pfister & Gerstner 2006): pre spike \(target) -= o1 (A2- + A3- r2); post spike \(target) += r1 (A2+ + A3+ o2); r1, r2, o1, o2 += 1 per spike"
        }
    }
}
