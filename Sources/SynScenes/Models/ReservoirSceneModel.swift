import SynCore
import SynModels

/// `model = "reservoir"`: an E/I (Dale's law) rate reservoir predicting its input k steps
/// ahead with an online RLS readout, with switchable homeostasis (scene `reservoir-ei`).
///
/// ```toml
/// [network]
/// units = 400                # N, in [16, 1000]
/// excitatory_fraction = 0.8  # N_E / N, in [0.5, 0.95]
/// radius = 6.0               # circular-law radius of W at construction, in [0, 50]
/// gain = 1.0                 # global recurrent gain G (live control "gain"), in [0, 4]
/// input_scale = 0.5          # w_in ~ U(-s, s), in [0, 10]
/// bias = 0.0                 # initial b_i, in [-10, 10]
/// leak = 0.3                 # l, in (0, 1]
/// [readout]
/// horizon = 30               # k: predict u(t + k), in [1, 500]
/// forgetting = 0.9995        # RLS lambda, in [0.9, 1]
/// delta = 0.01               # RLS P(0) = I / delta, in (0, 1000]
/// window = 2000              # steps in the nrmse window (and big step), in [10, 100000]
/// [rule]
/// name = "homeostatic"       # a rule of `ReservoirRules.registry` (`synaptop rules reservoir`):
///                            # none | homeostatic | intrinsic
/// switchable = ["none", "homeostatic", "intrinsic"]
/// target_radius = 0.6        # homeostatic: R_t, in (0, 5]
/// tau_avg = 100              # homeostatic: running-mean time constant in steps, in [1, 100000]
/// target_rate = 0.1          # intrinsic: r_0, in (0, 1)
/// [rule.homeostatic]         # `eta` is each rule's own rate: set it per rule
/// eta = 0.01                 # eta_a of flow control, in (0, 1]
/// [rule.intrinsic]
/// eta = 0.001                # eta_b of intrinsic plasticity, in (0, 1]
/// [task]
/// name = "mackey_glass"      # mackey_glass | sines
/// tau = 17.0                 # Mackey-Glass delay, in [1, 100]
/// dt = 0.1                   # Euler step, in (0, 1]
/// substeps = 10              # Euler steps per sample, in [1, 1000]
/// periods = [20.0, 53.0]     # sines: periods in steps, each in [2, 100000]
/// ```
public struct ReservoirSceneModel: SceneModel {
    public static let kind = "reservoir"
    public static var ruleFamily: String { ReservoirRules.registry.family }
    public static let summary = "E/I rate reservoir (Dale's law), online RLS readout predicting its input; homeostatic gain control"
    /// Longest Mackey-Glass delay line (tau / dt samples) a scene may ask for.
    public static let maxDelaySamples = 100_000.0

    let config: ReservoirSimulation.Config

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 16...1000, default: 400)
        let fe = try n.number("excitatory_fraction", in: .closed(0.5, 0.95), default: 0.8)
        let radius = try n.number("radius", in: .closed(0, 50), default: 6)
        let gain = try n.number("gain", in: .closed(0, 4), default: 1)
        let inputScale = try n.number("input_scale", in: .closed(0, 10), default: 0.5)
        let bias = try n.number("bias", in: .closed(-10, 10), default: 0)
        let leak = try n.number("leak", in: .openClosed(0, 1), default: 0.3)
        let ne = Int((Double(units) * fe).rounded())
        guard ne < units else { throw n.error("excitatory_fraction", "expected at least one inhibitory unit (N_E < N = \(units)), got \(fe)") }
        try n.finish()
        var o = try scene.table("readout")
        let horizon = try o.integer("horizon", in: 1...500, default: 30)
        let forgetting = try o.number("forgetting", in: .closed(0.9, 1), default: 0.9995)
        let delta = try o.number("delta", in: .openClosed(0, 1000), default: 0.01)
        let window = try o.integer("window", in: 10...100_000, default: 2000)
        try o.finish()
        var r = try scene.table("rule")
        let selection = try r.rules(from: ReservoirRules.registry, default: "homeostatic")
        try r.finish()
        var t = try scene.table("task")
        let task = try t.string("name", oneOf: ["mackey_glass", "sines"], default: "mackey_glass")
        let tau = try t.number("tau", in: .closed(1, 100), default: 17)
        let dt = try t.number("dt", in: .openClosed(0, 1), default: 0.1)
        // The Mackey-Glass delay line holds tau / dt samples (8 bytes each).
        if tau / dt > Self.maxDelaySamples {
            throw t.error("dt", "expected tau / dt <= \(Int(Self.maxDelaySamples)) (the delay line's length), got \(tau) / \(dt)")
        }
        let substeps = try t.integer("substeps", in: 1...1000, default: 10)
        let periods = try t.numbers("periods", in: .closed(2, 100_000), count: 1...16, default: [20, 53])
        try t.finish()
        let input: ReservoirSimulation.Input = task == "sines" ? .sines(periods: periods) : .mackeyGlass(tau: tau, dt: dt, substeps: substeps)
        config = ReservoirSimulation.Config(units: units, excitatoryFraction: fe, radius: radius, gain: gain, inputScale: inputScale,
                                            bias: bias, leak: leak, horizon: horizon, forgetting: forgetting, delta: delta,
                                            input: input, window: window, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { ["nrmse", "rate_mean", "rate_sd", "ei_balance", "spectral_radius", "gain_mean", "lyapunov"] }
    public var viewNames: [String] { ["activity", "traces", "weights", "spectrum"] }
    public var ruleNames: [String] { config.rules.map(\.name) }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        ReservoirSimulation(config: config, seed: seed)
    }
}

extension ReservoirSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        let n = Double(config.units)
        // Recurrent weights, the RLS inverse correlation matrix, the spectrum's n x n product.
        c.bytes = n * n * f + n * n * 8 * 2 + Double(config.window) * n * f
        c.setupFlops = 10 * n * n * n
        c.stepFlops = 2 * n * n + 4 * n * n + 10 * n * n * n / Double(max(1, metricsEvery))
        return c
    }
}
