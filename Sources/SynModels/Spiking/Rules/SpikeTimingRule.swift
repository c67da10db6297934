/// A spike-timing-dependent plasticity rule of one `Projection`: what a presynaptic and a
/// postsynaptic spike do to the weight w_ij of each of their synapses, given event-driven traces.
///
/// Symbols shared by the rules' equations (units in brackets):
/// - x_i, y_j: presynaptic trace of input i and postsynaptic trace of neuron j, decaying with
///   tau+ and tau- [s] between spikes (`EventTraces`); in weight units for pair rules
///   (incremented by A+ and A-), dimensionless counts for the triplet rule.
/// - w_ij: the weight [the projection's unit: dimensionless conductance in `stdp_neuron`, mV/ms
///   in `izhikevich_network`], clipped to the projection's bounds [w_min, w_max] after every
///   change; ŵ = (w − w_min) / (w_max − w_min) ∈ [0, 1].
/// - A+, A- [weight units]: amplitudes. Scenes give every amplitude **relative to the weight
///   bound w_max** (`a_plus`, dimensionless; one meaning in every spiking family); `bind(lo:hi:)`
///   converts to weight units when the rule meets its projection.
/// - Δt = t_post − t_pre [s].
///
/// A rule is a small value (its parameters and the amplitudes bound to a projection); the
/// traces, eligibilities and probe live in `STDPState`. The batch entry points `onPre` and
/// `onPost` have default implementations that loop over a spike batch's synapses; each rule's
/// conformance specialises them, so the per-synapse `atPre` / `atPost` calls are inlined and
/// a rule held as `any SpikeTimingRule` costs one dynamic call per spike batch, not per synapse.
public protocol SpikeTimingRule: LearningRule {
    /// tau+ [s]: time constant of the presynaptic trace x.
    var tauPre: Double { get }
    /// tau- [s]: time constant of the postsynaptic trace y.
    var tauPost: Double { get }
    /// Time constants [s] of the slow traces r2 (pre) and o2 (post) of triplet rules; nil for
    /// pair rules (then `r2` and `o2` are passed as 0).
    var slowTraceTaus: (pre: Double, post: Double)? { get }
    /// True: a spike resets its trace to the increment (nearest-spike pairing); false: adds it.
    var nearestSpike: Bool { get }
    /// Increment of x per presynaptic spike [weight units, or 1 for counting traces].
    var preIncrement: Float { get }
    /// Increment of y per postsynaptic spike [weight units, or 1 for counting traces].
    var postIncrement: Float { get }
    /// Converts the relative amplitudes to the weight units of a projection with bounds [lo, hi].
    mutating func bind(lo: Float, hi: Float)
    /// Change of w at a presynaptic spike, given the post trace y and the pre's slow trace r2
    /// read just before its increment. `span` = hi − lo.
    func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float
    /// Change of w at a postsynaptic spike, given the pre trace x and the post's slow trace o2.
    func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float
    /// Plasticity for presynaptic spikes `spikes[k] - offset` at `step` (default: the shared loop).
    func onPre(_ spikes: SpikeBuffer, offset: Int32, step: Int, state: inout STDPState, projection: inout Projection)
    /// Plasticity for postsynaptic spikes `spikes[k] - offset` at `step` (default: the shared loop).
    func onPost(_ spikes: SpikeBuffer, offset: Int32, step: Int, state: inout STDPState, projection: inout Projection)
}

extension SpikeTimingRule {
    public var slowTraceTaus: (pre: Double, post: Double)? { nil }
    public var nearestSpike: Bool { false }

    public func onPre(_ spikes: SpikeBuffer, offset: Int32, step: Int, state: inout STDPState, projection: inout Projection) {
        let lo = projection.wMin, hi = projection.wMax
        let span = hi - lo
        let slow = slowTraceTaus != nil
        let nearest = nearestSpike
        let inc = preIncrement
        for s in 0..<spikes.count {
            let i = Int(spikes[s] - offset)
            guard i >= 0 && i < projection.preCount else { continue }
            let r2 = slow ? state.pre2.value(i, at: step) : 0
            for k in Int(projection.rowStart[i])..<Int(projection.rowStart[i + 1]) {
                let j = Int(projection.post[k])
                let y = state.post.value(j, at: step)
                let delta = atPre(w: projection.weight[k], y: y, r2: r2, lo: lo, hi: hi, span: span)
                state.apply(k, delta, &projection.weight, lo: lo, hi: hi)
            }
            if nearest { state.pre.set(i, inc, at: step) } else { state.pre.add(i, inc, at: step) }
            if slow { state.pre2.add(i, 1, at: step) }
        }
    }

    public func onPost(_ spikes: SpikeBuffer, offset: Int32, step: Int, state: inout STDPState, projection: inout Projection) {
        let lo = projection.wMin, hi = projection.wMax
        let span = hi - lo
        let slow = slowTraceTaus != nil
        let nearest = nearestSpike
        let inc = postIncrement
        for s in 0..<spikes.count {
            let j = Int(spikes[s] - offset)
            guard j >= 0 && j < projection.postCount else { continue }
            let o2 = slow ? state.post2.value(j, at: step) : 0
            for c in Int(projection.colStart[j])..<Int(projection.colStart[j + 1]) {
                let k = Int(projection.colSyn[c])
                let x = state.pre.value(Int(projection.pre[k]), at: step)
                let delta = atPost(w: projection.weight[k], x: x, o2: o2, lo: lo, hi: hi, span: span)
                state.apply(k, delta, &projection.weight, lo: lo, hi: hi)
            }
            if nearest { state.post.set(j, inc, at: step) } else { state.post.add(j, inc, at: step) }
            if slow { state.post2.add(j, 1, at: step) }
        }
    }
}

/// The STDP parameters shared by the spike-timing rules, declared once: every rule that takes
/// a trace time constant or an amplitude lists one of these (with its own default where the
/// rule's reference uses another), so `tau_pre_ms` or `a_plus` means the same in every scene.
public enum STDPParameter {
    /// tau+ (ms in the scene, s inside): time constant of the presynaptic trace x.
    public static func tauPre(default value: Double = 20) -> RuleParameter {
        RuleParameter("tau_pre_ms", "time constant tau+ of the presynaptic trace x", unit: "ms", range: .openClosed(0, 10_000), default: value)
    }
    /// tau- (ms in the scene, s inside): time constant of the postsynaptic trace y.
    public static func tauPost(default value: Double = 20) -> RuleParameter {
        RuleParameter("tau_post_ms", "time constant tau- of the postsynaptic trace y", unit: "ms", range: .openClosed(0, 10_000), default: value)
    }
    /// A+ relative to the weight bound: A+ = a_plus w_max (dimensionless).
    public static func aPlus(default value: Double = 0.01) -> RuleParameter {
        RuleParameter("a_plus", "potentiation amplitude A+ relative to the weight bound w_max (A+ = a_plus w_max)", range: .closed(0, 1), default: value)
    }
    /// A- = a_minus_ratio A+ tau+ / tau- (dimensionless): the depression/potentiation balance.
    public static func aMinusRatio(default value: Double = 1.05) -> RuleParameter {
        RuleParameter("a_minus_ratio", "depression amplitude A- = a_minus_ratio A+ tau+ / tau- (> 1: depression dominates)", range: .closed(0, 10), default: value)
    }
}

/// The pair amplitudes of `a_plus` and `a_minus_ratio` in weight units for a bound `hi`:
/// A+ = a_plus hi, A- = a_minus_ratio A+ tau+ / tau-.
@inline(__always)
func pairAmplitudes(aPlus: Float, aMinusRatio: Float, tauPre: Double, tauPost: Double, hi: Float) -> (plus: Float, minus: Float) {
    let ap = aPlus * hi
    return (ap, aMinusRatio * ap * Float(tauPre / tauPost))
}

