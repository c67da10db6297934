import SynCore
/// A plasticity rule of `model = "lif_network"` (CUBA): it may change the I -> E weights.
public protocol LIFNetworkPlasticity: LearningRule {
    /// Allocates the rule's state for `projection` (I -> all, negative weights); only synapses
    /// onto post neurons `0..<plasticPost` (the E cells) change. Zeroed; called at the start
    /// and on every live switch.
    mutating func bind(projection: Projection, plasticPost: Int, dt: Double, probeSynapse: Int)
    /// Pre (I) then post (E) updates for one step.
    mutating func step(preSpikes: SpikeBuffer, preOffset: Int32, postSpikes: SpikeBuffer, step: Int, projection: inout Projection)
    /// Target rate [Hz] of the E cells when the rule has one (a live control).
    var targetRateHz: Double? { get set }
    /// Largest inhibitory strength |w| [mV] the rule allows, if it bounds the weights.
    var weightBoundMV: Double? { get }
    /// The rule's factors at the probed synapse (traces, last change).
    func probe(step: Int, pre i: Int, post j: Int) -> [Factor]
}

extension NoPlasticity: LIFNetworkPlasticity {
    public mutating func bind(projection: Projection, plasticPost: Int, dt: Double, probeSynapse: Int) {}
    public mutating func step(preSpikes: SpikeBuffer, preOffset: Int32, postSpikes: SpikeBuffer, step: Int, projection: inout Projection) {}
    public var targetRateHz: Double? {
        get { nil }
        set {}
    }
    public var weightBoundMV: Double? { nil }
    public func probe(step: Int, pre i: Int, post j: Int) -> [Factor] { [] }
}

/// Inhibitory plasticity of Vogels et al. (2011, Science 334:1569) on an inhibitory projection
/// whose weights are negative (jumps into `gi`, mV). With traces x (per pre, I) and y (per post,
/// E), tau dx/dt = -x, x += 1 per spike (same for y; dimensionless), and |w| the inhibitory
/// strength [mV]:
///
///     pre (I) spike:   |w| += eta (y_j - alpha)       alpha = 2 rho0 tau
///     post (E) spike:  |w| += eta x_i
///
/// so each E neuron's rate is driven towards rho0. eta = `eta_mv` [mV], tau = `tau_ms` [ms in the
/// scene, s inside], rho0 = `rho0_hz` [Hz]; |w| is clipped to [0, w_max], w_max = `w_max_mv` [mV]
/// (the network builds the I -> E projection with this bound). Only synapses onto the E cells change.
public struct InhibitorySTDP: LIFNetworkPlasticity {
    public static let name = "istdp"
    public static let summary = "inhibitory STDP on I->E, |Δw| = η (y − 2ρ0τ) / η x: every E cell driven to ρ0 (Vogels et al. 2011)"
    public static let eta = RuleParameter("eta_mv", "learning rate eta per trace unit", unit: "mV", range: .closed(0, 100), default: 1)
    public static let rho0 = RuleParameter("rho0_hz", "target rate rho0 of the E cells", unit: "Hz", range: .openClosed(0, 1000), default: 3)
    public static let tau = RuleParameter("tau_ms", "time constant tau of both traces", unit: "ms", range: .openClosed(0, 10_000), default: 20)
    public static let wMax = RuleParameter("w_max_mv", "largest inhibitory strength |w|", unit: "mV", range: .openClosed(0, 1000), default: 40)
    public static let parameters = [eta, rho0, tau, wMax]

    public var eta: Float
    /// Target rate rho0 [Hz]; alpha = 2 rho0 tau follows it.
    public var rho0: Double { didSet { alpha = Float(2 * rho0 * tau) } }
    /// tau [s].
    public let tau: Double
    public let wMaxMV: Double
    public private(set) var plasticPost = 0
    public private(set) var pre = EventTraces(count: 0, tau: 1, dt: 1)
    public private(set) var post = EventTraces(count: 0, tau: 1, dt: 1)
    var alpha: Float
    public var probeSynapse = 0
    public private(set) var lastDelta: Float = 0

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        rho0 = values[Self.rho0]
        tau = values[Self.tau] / 1000
        wMaxMV = values[Self.wMax]
        alpha = Float(2 * rho0 * tau)
    }

    public mutating func bind(projection: Projection, plasticPost: Int, dt: Double, probeSynapse: Int) {
        self.plasticPost = plasticPost
        pre = EventTraces(count: projection.preCount, tau: tau, dt: dt)
        post = EventTraces(count: projection.postCount, tau: tau, dt: dt)
        self.probeSynapse = probeSynapse
        lastDelta = 0
    }

    public var targetRateHz: Double? {
        get { rho0 }
        set { if let v = newValue { rho0 = v } }
    }
    public var weightBoundMV: Double? { wMaxMV }

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

    public func probe(step: Int, pre i: Int, post j: Int) -> [Factor] {
        [Factor("pre trace x", Double(pre.value(i, at: step))),
         Factor("post trace y", Double(post.value(j, at: step))),
         Factor("last dw (mV)", Double(lastDelta))]
    }

    public var equation: String {
        "inhibitory STDP (Vogels et al. 2011) on I->E: pre(I) spike |w| += η (y_post − α), post(E) spike |w| += η x_pre; α = 2 ρ0 τ; x, y: traces (τ = \(NumberFormat.shortest(tau * 1000)) ms, +1 per spike); η = \(eta) mV, ρ0 = \(NumberFormat.shortest(rho0)) Hz"
    }
}

/// The rules of `model = "lif_network"`.
public enum LIFNetworkRules {
    public static let registry = RuleRegistry<any LIFNetworkPlasticity>(
        family: "lif_network", summary: "plasticity of the E/I LIF network (model = \"lif_network\")", [
            .init(NoPlasticity.self) { $0 },
            .init(InhibitorySTDP.self) { $0 },
        ])

    /// `none` (the library default of `LIFNetworkConfig`).
    public static var none: ConfiguredRule<any LIFNetworkPlasticity> {
        ConfiguredRule(name: NoPlasticity.name, values: RuleParameterValues([]), rule: NoPlasticity())
    }
}
