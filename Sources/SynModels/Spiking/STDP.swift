/// Spike-timing-dependent plasticity of one `Projection`: a `SpikeTimingRule` (the update at
/// each spike) and its `STDPState` (event-driven traces, eligibilities, probe).
///
/// In `eligibility` mode the change goes into a per-synapse eligibility c_ij instead of w
/// (three-factor rules, see `RewardModulation`). Within a step the pre-spike updates run before
/// the post-spike updates (Brian2's pathway order), so a simultaneous pair potentiates.
public struct STDP: Sendable {
    /// The rule, bound to the projection's weight bounds.
    public private(set) var rule: any SpikeTimingRule
    /// Traces, eligibilities and the probe.
    public internal(set) var state: STDPState

    public init(rule: any SpikeTimingRule, projection: Projection, dt: Double,
                eligibilityMode: Bool = false, probeSynapse: Int = 0) {
        var r = rule
        r.bind(lo: projection.wMin, hi: projection.wMax)
        self.rule = r
        state = STDPState(rule: r, projection: projection, dt: dt, eligibilityMode: eligibilityMode, probeSynapse: probeSynapse)
    }

    /// Plasticity for presynaptic spikes `spikes[k] - offset` at `step` (one dynamic call).
    @inline(__always)
    public mutating func onPre(_ spikes: SpikeBuffer, offset: Int32 = 0, step: Int, projection: inout Projection) {
        rule.onPre(spikes, offset: offset, step: step, state: &state, projection: &projection)
    }

    /// Plasticity for postsynaptic spikes `spikes[k] - offset` at `step` (one dynamic call).
    @inline(__always)
    public mutating func onPost(_ spikes: SpikeBuffer, offset: Int32 = 0, step: Int, projection: inout Projection) {
        rule.onPost(spikes, offset: offset, step: step, state: &state, projection: &projection)
    }

    /// One step of a three-factor rule: `modulation` turns the eligibilities into weight changes.
    public mutating func modulate(_ modulation: inout RewardModulation, step: Int, dt: Double, projection: inout Projection) {
        modulation.step(step, dt: dt, eligibility: &state.eligibility, projection: &projection)
    }

    /// Clears traces, eligibilities and the probe (weights are untouched).
    public mutating func reset() { state.reset() }

    public var pre: EventTraces { state.pre }
    public var post: EventTraces { state.post }
    public var eligibility: [Float] { state.eligibility }
    /// The eligibility of synapse k (0 outside eligibility mode).
    @inline(__always)
    public func eligibility(_ k: Int) -> Float { state.eligibility.indices.contains(k) ? state.eligibility[k] : 0 }
    public var eligibilityMode: Bool { state.eligibilityMode }
    public var lastDelta: Float { state.lastDelta }
    public var probeSynapse: Int {
        get { state.probeSynapse }
        set { state.probeSynapse = newValue }
    }

    /// The update equation in plain text (teaching panel).
    public var equation: String {
        eligibilityMode ? rule.equation + "; changes go into the eligibility c instead of w" : rule.equation
    }
}

/// The state of `STDP`: pre and post traces x, y (and the slow traces r2, o2 of triplet rules),
/// per-synapse eligibilities (eligibility mode) and the last change of the probed synapse.
public struct STDPState: Sendable {
    public internal(set) var pre: EventTraces
    public internal(set) var post: EventTraces
    public internal(set) var pre2: EventTraces
    public internal(set) var post2: EventTraces
    /// Per-synapse eligibility (eligibility mode only).
    public internal(set) var eligibility: [Float]
    /// When true, changes accumulate in `eligibility` instead of the weights.
    public let eligibilityMode: Bool
    /// The synapse whose last change is kept for the teaching probe.
    public var probeSynapse: Int
    /// Last change applied to `probeSynapse` (weight or eligibility units).
    public internal(set) var lastDelta: Float = 0

    init(rule: some SpikeTimingRule, projection: Projection, dt: Double, eligibilityMode: Bool, probeSynapse: Int) {
        pre = EventTraces(count: projection.preCount, tau: rule.tauPre, dt: dt)
        post = EventTraces(count: projection.postCount, tau: rule.tauPost, dt: dt)
        let slow = rule.slowTraceTaus
        pre2 = EventTraces(count: slow == nil ? 0 : projection.preCount, tau: slow?.pre ?? dt, dt: dt)
        post2 = EventTraces(count: slow == nil ? 0 : projection.postCount, tau: slow?.post ?? dt, dt: dt)
        eligibility = [Float](repeating: 0, count: eligibilityMode ? projection.synapseCount : 0)
        self.eligibilityMode = eligibilityMode
        self.probeSynapse = probeSynapse
    }

    mutating func reset() {
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
}
