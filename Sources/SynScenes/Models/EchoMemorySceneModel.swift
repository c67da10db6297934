import SynCore
import SynModels

/// `model = "echo_memory"`: memory capacity of a tanh echo-state network against its spectral
/// radius (scene `echo-memory`; Jaeger 2001, 2002).
///
/// ```toml
/// [network]
/// units = 100                  # N, in [10, 400]
/// input_scale = 0.1            # w_in ~ U(-s, s), in [0.001, 10]
/// radius = 0.9                 # live copy's spectral radius g (live control "radius"), in [0.05, 2]
/// [task]
/// radii = [0.2, 0.6, 1.0]      # fixed radii of the MC curve, ascending, each in [0.05, 2], 1 to 24 of them
/// test_steps = 1600            # inputs per trial, in [100, 20000]
/// washout = 101                # dropped states (> delays), in [2, 10000]
/// train_fraction = 0.7         # of the rest, fits the readouts, in (0, 1)
/// delays = 100                 # K, in [1, 400]
/// ridge = 1e-6                 # ridge penalty, in [1e-12, 1]
/// [rule]
/// name = "none"                # the readouts are fitted by ridge regression, nothing is learned online
/// ```
public struct EchoMemorySceneModel: SceneModel {
    public static let kind = "echo_memory"
    public static var ruleFamily: String { EchoMemoryRules.registry.family }
    public static let summary = "tanh echo-state network: memory capacity against spectral radius (edge of chaos)"

    let config: EchoMemorySimulation.Config
    let selection: RuleSelection<NoPlasticity>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 10...400, default: 100)
        let s = try n.number("input_scale", in: .closed(0.001, 10), default: 0.1)
        let radius = try n.number("radius", in: .closed(0.05, 2), default: 0.9)
        try n.finish()
        var t = try scene.table("task")
        let radii = try t.numbers("radii", in: .closed(0.05, 2), count: 1...24,
                                  default: [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.4, 1.7])
        guard zip(radii, radii.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw t.error("radii", "expected strictly ascending radii, got \(radii)")
        }
        let test = try t.integer("test_steps", in: 100...20_000, default: 1600)
        let delays = try t.integer("delays", in: 1...400, default: 100)
        let washout = try t.integer("washout", in: 2...10_000, default: 101)
        guard washout > delays else { throw t.error("washout", "expected more than delays = \(delays) (targets reach back K + 1 steps), got \(washout)") }
        let fraction = try t.number("train_fraction", in: .open(0, 1), default: 0.7)
        let ridge = try t.number("ridge", in: .closed(1e-12, 1), default: 1e-6)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: EchoMemoryRules.registry, default: NoPlasticity.name)
        try r.finish()
        let c = EchoMemorySimulation.Config(units: units, inputScale: s, radius: radius, radii: radii, testSteps: test, washout: washout,
                                            trainFraction: fraction, delays: delays, ridge: ridge)
        guard test > washout, c.trainSteps > units + 1, c.scoreSteps >= 2 else {
            throw t.error("test_steps", "expected more than N + 1 = \(units + 1) training rows and 2 scoring rows after the washout, "
                          + "got \(max(0, c.trainSteps)) and \(max(0, c.scoreSteps)) from \(test) steps")
        }
        config = c
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { EchoMemorySimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { EchoMemorySimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { EchoMemorySimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        EchoMemorySimulation(config: config, seed: seed)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let copies = Double(config.radii.count + 1)
        let n = Double(config.units), d = n + 1, k = Double(config.delays)
        let score = Double(config.scoreSteps)
        var c = CostEstimate()
        c.bytes = n * n * 4 + copies * (score * n * 4 + d * d * 8 * 2 + d * k * 8 * 2) + Double(config.testSteps) * 4
        c.setupFlops = 2 * n * n
        let fit = d * d * d / 3 + 2 * d * d * k + 2 * score * d * k
        c.stepFlops = copies * (2 * n * n + 20 * n + d * d / 2 + d * k + fit / Double(config.testSteps))
        return c
    }
}
