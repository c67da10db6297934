import SynCore
import SynModels

/// `model = "coupled_learners"`: n noisy gradient learners on one quadratic, diffusively
/// coupled; centroid error, spread and per-learner error against the exact theory (scene
/// `sync-learners`).
///
/// ```toml
/// [network]
/// learners = 10             # n, live control "learners", in [1, max_learners]
/// max_learners = 30         # upper end of the control, in [1, 200]
/// dimension = 5             # d, in [2, 100]
/// curvature = 1.0           # λ of f(x) = (λ/2)‖x − x*‖², in (0, 100]
/// coupling = 0.1            # k, live control "coupling", in [0, 2]
/// sigma = 1.0               # noise σ, live control "sigma", in [0.1, 3]
/// topology = "all_to_all"   # all_to_all | ring | star (live control "topology")
/// [rule]
/// name = "gd"               # a rule of `DynamicsRules.registry`; its eta is the Euler step dt
/// eta = 0.01
/// ```
public struct CoupledLearnersSceneModel: SceneModel {
    public static let kind = "coupled_learners"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "redundant noisy learners coupled through a graph: centroid error ~1/n, spread ~1/(λ + k n)"

    let config: CoupledLearnersSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let maxN = try n.integer("max_learners", in: 1...200, default: 30)
        let learners = try n.integer("learners", in: 1...200, default: min(10, maxN))
        guard learners <= maxN else { throw n.error("learners", "expected an integer in [1, \(maxN)] (at most max_learners), got \(learners)") }
        let d = try n.integer("dimension", in: 2...100, default: 5)
        let lam = try n.number("curvature", in: .openClosed(0, 100), default: 1)
        let k = try n.number("coupling", in: .closed(0, 2), default: 0.1)
        let sigma = try n.number("sigma", in: .closed(0.1, 3), default: 1)
        let topo = try n.string("topology", oneOf: CoupledLearnersSimulation.Topology.allCases.map(\.name), default: "all_to_all")
        try n.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "gd")
        try r.finish()
        // Euler stability of the fastest mode: (λ + k μ_max) η < 2, μ_max ≤ n (all-to-all, star).
        for (rule, name) in zip(selection.rules, selection.names) where (lam + 2 * Double(maxN)) * Double(rule.eta) >= 2 {
            throw r.error("eta", "rule \(name): eta = \(rule.eta) makes the Euler step unstable; need (curvature + 2 max_learners) eta < 2")
        }
        let topology = CoupledLearnersSimulation.Topology.allCases.first { $0.name == topo } ?? .allToAll
        config = CoupledLearnersSimulation.Config(learners: learners, maxLearners: maxN, dimension: d, curvature: lam, coupling: k,
                                                  sigma: sigma, topology: topology, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { CoupledLearnersSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { CoupledLearnersSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { CoupledLearnersSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let n = Double(config.maxLearners), d = Double(config.dimension)
        var c = CostEstimate()
        c.bytes = 4 * n * (d * 4 + 80) + 8 * n * n
        c.setupFlops = n * n * n
        c.stepFlops = n * n * d * 2 + n * d * 20
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        CoupledLearnersSimulation(config: config, seed: seed)
    }
}
