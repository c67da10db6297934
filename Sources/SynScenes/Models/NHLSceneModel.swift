import SynCore
import SynModels

/// `model = "nhl_tta"`: test-time adaptation of a trained digits classifier on an unlabeled,
/// covariate-shifted stream; every listed test-time rule is an arm on the same batches (scene
/// `nhl-tta`, science page 2).
///
/// ```toml
/// [network]
/// hidden = 64                # hidden units, in [4, 256]
/// build = "B"                # "A" plain, "B" per-unit normalisation before gamma, beta (live `build`)
/// [task]
/// source_digits = 933        # first rows the source network trains on, in [100, 1700]; the other 864 stream
/// source_epochs = 20         # its SGD epochs, in [1, 100]
/// source_eta = 0.1           # its learning rate, in [1e-4, 2]
/// batch = 32                 # batch of training and of the stream, in [1, 512]
/// shift_a = 0.6              # x' = clip(a x + b + N(0, s^2), 0, 1): a in [0, 2]
/// shift_b = 0.2              # b in [-1, 1]
/// shift_sd = 0.3             # s in [0, 2]
/// [rule]
/// name = "nhl"               # `synaptop rules test_time`; every switchable rule is an arm
/// switchable = ["source", "stats", "entropy", "hebb", "nhl"]
/// eta_m = 0.05               # modulator step on the batch entropy, in [0, 25] (live)
/// eta_hebb = 0.001           # SoftHebb rate per sample, in [0, 0.02] (live)
/// temperature = 1            # softmax temperature of the soft competition, in [0.05, 5] (live)
/// stats_floor = 0.05         # least weight of a new batch in the re-estimated statistics, in [0, 1]
/// ```
public struct NHLSceneModel: SceneModel {
    public static let kind = "nhl_tta"
    public static var ruleFamily: String { TestTimeRules.registry.family }
    public static let summary = "test-time adaptation on a shifted digit stream: statistics, entropy (Tent), SoftHebb and NHL arms"

    let config: NHLSimulation.Config
    let selection: RuleSelection<any TestTimeAdaptationRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integer("hidden", in: 4...256, default: 64)
        let build = try n.string("build", oneOf: ["A", "B"], default: "B")
        try n.finish()
        var t = try scene.table("task")
        let digits = try t.integer("source_digits", in: 100...1700, default: 933)
        let epochs = try t.integer("source_epochs", in: 1...100, default: 20)
        let eta = try t.number("source_eta", in: .closed(1e-4, 2), default: 0.1)
        let batch = try t.integer("batch", in: 1...512, default: 32)
        let a = try t.number("shift_a", in: .closed(0, 2), default: 0.6)
        let b = try t.number("shift_b", in: .closed(-1, 1), default: 0.2)
        let s = try t.number("shift_sd", in: .closed(0, 2), default: 0.3)
        try t.finish()
        var r = try scene.table("rule")
        let etaM = try r.number("eta_m", in: .closed(0, 25), default: 0.05)
        let etaH = try r.number("eta_hebb", in: .closed(0, 0.02), default: 0.001)
        let temperature = try r.number("temperature", in: .closed(0.05, 5), default: 1)
        let floor = try r.number("stats_floor", in: .closed(0, 1), default: 0.05)
        selection = try r.rules(from: TestTimeRules.registry, default: NeuroModulatedHebbian.name)
        try r.finish()
        config = .init(sourceDigits: digits, hidden: hidden, sourceEpochs: epochs, sourceEta: Float(eta), batch: batch,
                       shiftA: Float(a), shiftB: Float(b), shiftSD: Float(s), build: build == "A" ? .plain : .normalised,
                       rates: TestTimeRates(modulator: Float(etaM), hebbian: Float(etaH), temperature: Float(temperature),
                                            statisticsFloor: floor),
                       rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { NHLSimulation.metricSpecs(rules: selection.names) }
    public static var metricCatalog: [MetricSpec] { NHLSimulation.metricCatalog }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { NHLSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        NHLSimulation(config: config, seed: seed, digits: Digits.all())
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let h = Double(config.hidden), weights = 64 * h + h * 10
        let arms = Double(config.rules.count), b = Double(config.batch)
        let pool = Double(1797 - config.sourceDigits)
        var c = CostEstimate()
        c.bytes = 4 * ((arms + 2) * 2 * weights + 3 * 1797 * 64 + 1797 * h * 3)
        c.setupFlops = Double(config.sourceEpochs) * Double(config.sourceDigits) * 6 * weights + pool * 2 * weights
        // Per arm and batch: Hebbian updates, statistics, an entropy step and the prediction.
        c.stepFlops = arms * b * (4 * 64 * h + 10 * weights) + (2 * weights * pool + 2 * 64 * h * 2) / Double(max(1, metricsEvery))
        return c
    }
}
