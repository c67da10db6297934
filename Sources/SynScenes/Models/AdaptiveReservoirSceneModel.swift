import SynCore
import SynModels

/// `model = "adaptive_reservoir"`: memory capacity of a Dale's-law sigmoid reservoir under
/// global inhibitory gains β = c β_bal against gains adapted per unit toward a target rate
/// (scene `adaptive-ei-reservoir`, science page 36; the rule is reconstructed).
///
/// ```toml
/// [network]
/// units = 200                  # N, in [20, 1000]
/// connection_prob = 0.1        # p, in (0, 1]
/// j = 4.0                      # mean total E input weight J (live control "j"), in [1, 12]
/// input_scale = 1.0            # w_in ~ U(-s, s), in (0, 10]
/// leak = 1.0                   # a, in (0, 1]
/// bias = 0.0                   # b, in [-10, 10]
/// [task]
/// adapt_steps = 4000           # steps the local arms adapt per trial, in [1, 100000]
/// test_steps = 3000            # test stream per trial, in [100, 100000]
/// washout = 200                # discarded test steps (>= delays), in [1, 10000]
/// train_fraction = 0.7         # of the rest, fits the readouts, in (0, 1)
/// delays = 100                 # K, in [1, 500]
/// ridge = 1e-6                 # ridge penalty, in (0, 1]
/// heterogeneous_targets = [0.2, 0.8]  # rho_i ~ U(lo, hi) of arm local_hetero, each in (0, 1)
/// [rule]
/// name = "inhibitory_gain"     # a rule of `GainModulationRules.registry` (`synaptop rules gain_modulation`)
/// switchable = ["inhibitory_gain", "frozen"]
/// eta = 0.05                   # inhibitory_gain: eta_beta, in (0, 1]
/// ```
public struct AdaptiveReservoirSceneModel: SceneModel {
    public static let kind = "adaptive_reservoir"
    public static var ruleFamily: String { GainModulationRules.registry.family }
    public static let summary = "Dale's-law sigmoid reservoir: memory capacity with global vs locally adapted inhibitory gains"

    let config: AdaptiveReservoirSimulation.Config
    let selection: RuleSelection<any GainModulationRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 20...1000, default: 200)
        let p = try n.number("connection_prob", in: .openClosed(0, 1), default: 0.1)
        let j = try n.number("j", in: .closed(1, 12), default: 4)
        let s = try n.number("input_scale", in: .openClosed(0, 10), default: 1)
        let leak = try n.number("leak", in: .openClosed(0, 1), default: 1)
        let bias = try n.number("bias", in: .closed(-10, 10), default: 0)
        try n.finish()
        var t = try scene.table("task")
        let adapt = try t.integer("adapt_steps", in: 1...100_000, default: 4000)
        let test = try t.integer("test_steps", in: 100...100_000, default: 3000)
        let delays = try t.integer("delays", in: 1...500, default: 100)
        let washout = try t.integer("washout", in: 1...10_000, default: 200)
        guard washout >= delays else { throw t.error("washout", "expected at least delays = \(delays) (targets reach back K steps), got \(washout)") }
        let fraction = try t.number("train_fraction", in: .open(0, 1), default: 0.7)
        let ridge = try t.number("ridge", in: .openClosed(0, 1), default: 1e-6)
        let het = try t.numbers("heterogeneous_targets", in: .open(0, 1), count: 2...2, default: [0.2, 0.8])
        guard het[0] <= het[1] else { throw t.error("heterogeneous_targets", "expected [lo, hi] with lo <= hi, got [\(het[0]), \(het[1])]") }
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: GainModulationRules.registry, default: InhibitoryGainHomeostasis.name)
        try r.finish()
        let c = AdaptiveReservoirSimulation.Config(
            units: units, connectionProbability: p, meanExcitation: j, inputScale: s, leak: leak, bias: bias, adaptSteps: adapt,
            testSteps: test, washout: washout, trainFraction: fraction, delays: delays, ridge: ridge,
            heterogeneousTargets: het[0]...het[1], rules: selection.rules, start: selection.start)
        guard test > washout, c.trainSteps > units + 1, c.scoreSteps >= 2 else {
            throw t.error("test_steps", "expected more than N + 1 = \(units + 1) training rows and 2 scoring rows after the washout, "
                          + "got \(c.trainSteps) and \(c.scoreSteps) from \(test) steps")
        }
        config = c
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { AdaptiveReservoirSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { AdaptiveReservoirSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { AdaptiveReservoirSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        AdaptiveReservoirSimulation(config: config, seed: seed)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let arms = Double(AdaptiveReservoirSimulation.arms.count)
        let n = Double(config.units), d = n + 1, k = Double(config.delays)
        let nnz = config.connectionProbability * n * n
        let score = Double(config.scoreSteps)
        let trial = Double(config.adaptSteps + config.testSteps)
        var c = CostEstimate()
        c.bytes = nnz * 8 + arms * (score * n * 4 + d * d * 8 * 2 + d * k * 8 * 2) + Double(config.testSteps) * 4
        c.setupFlops = 2 * n * n
        let fit = d * d * d / 3 + 2 * d * d * k + 2 * score * d * k
        c.stepFlops = arms * (2 * nnz + 20 * n + d * d / 2 + d * k + fit / trial)
        return c
    }
}
