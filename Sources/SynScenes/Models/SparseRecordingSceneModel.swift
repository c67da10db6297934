import SynCore
import SynModels

/// `model = "sparse_recordings"`: student RNNs fitted to a random teacher RNN's outputs plus k
/// recorded teacher units, one arm per k from the same initialisation (scene
/// `sparse-recordings`; Salatiello & Giese 2020, science page 28).
///
/// ```toml
/// [network]
/// units = 100               # units N of teacher and students, in [4, 256]
/// alpha = 0.2               # integration rate per step, in (0, 1]
/// teacher_gain = 1.3        # teacher W = g N(0, 1/N), in [0, 3]
/// student_gain = 1.0        # initial student W = g N(0, 1/N), in [0, 3]
/// [task]
/// steps = 80                # steps per trial T, in [prep + go + 1, 400]
/// prep = 20                 # steps of the angle cue, in [1, 200]
/// go = 5                    # steps of the go pulse, in [1, 50]
/// conditions = 8            # training angles (as many held-out ones between them), in [1, 32]
/// recorded = [0, 5, 10, 20] # k per arm: 1-6 distinct values in [0, units]
/// lambda = 1                # weight of the recording term, in [0, 4] (live control)
/// components = 10           # principal components per population in the CCA, in [1, 64]
/// selection = "random"      # recorded units: random | variance (largest rate variance first)
/// [rule]
/// name = "adamw"            # a rule of `DynamicsRules.registry`: adamw | gd
/// eta = 0.003               # live control "eta"
/// weight_decay = 0          # 0 = plain Adam
/// ```
public struct SparseRecordingSceneModel: SceneModel {
    public static let kind = "sparse_recordings"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "student RNNs fitted to a teacher RNN's outputs plus k recorded units: population CCA with the teacher rises with k"

    /// Largest `units`, which bounds k.
    static let maxUnits = 256

    let config: SparseRecordingSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 4...Self.maxUnits, default: 100)
        let alpha = try n.number("alpha", in: .openClosed(0, 1), default: 0.2)
        let tg = try n.number("teacher_gain", in: .closed(0, 3), default: 1.3)
        let sg = try n.number("student_gain", in: .closed(0, 3), default: 1.0)
        try n.finish()
        var t = try scene.table("task")
        let prep = try t.integer("prep", in: 1...200, default: 20)
        let go = try t.integer("go", in: 1...50, default: 5)
        let steps = try t.integer("steps", in: (prep + go + 1)...400, default: max(80, prep + go + 1))
        let conditions = try t.integer("conditions", in: 1...32, default: 8)
        let recorded = try t.integers("recorded", in: 0...units, count: 1...6, default: [0, 5, 10, 20])
        if Set(recorded).count != recorded.count {
            throw t.error("recorded", "expected distinct values, got \(recorded)")
        }
        let lambda = try t.number("lambda", in: .closed(0, 4), default: 1)
        let components = try t.integer("components", in: 1...64, default: 10)
        let sel = try t.string("selection", oneOf: SparseRecordingSimulation.Selection.allCases.map(\.rawValue), default: "random")
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "adamw")
        try r.finish()
        guard let chosen = SparseRecordingSimulation.Selection(rawValue: sel) else {
            throw t.error("selection", "expected random or variance, got \(sel)")
        }
        config = .init(units: units, alpha: Float(alpha), teacherGain: Float(tg), studentGain: Float(sg), steps: steps, prep: prep,
                       go: go, conditions: conditions, recorded: recorded, lambda: Float(lambda), components: components,
                       selection: chosen, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { SparseRecordingSimulation.metricSpecs(recorded: config.recorded) }
    public static var metricCatalog: [MetricSpec] { SparseRecordingSimulation.metricSpecs(recorded: Array(0...maxUnits)) }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { SparseRecordingSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let n = Double(config.units), c = Double(config.conditions), t = Double(config.steps)
        let arms = Double(config.recorded.count)
        let params = n * (n + 5)
        // One pass: T steps of a C×N by N×N product; BPTT about twice that again.
        let pass = 2 * t * c * n * (n + 5)
        // Evaluation of an arm: two passes, PCA (covariance + eigen) and the CCA.
        let evaluation = 2 * pass + 2 * t * c * n * n + 12 * n * n * n
        var cost = CostEstimate()
        cost.bytes = 4 * (arms * 3 * params + 6 * (t + 1) * c * n)
        cost.setupFlops = 2 * pass + (arms + 1) * evaluation
        cost.stepFlops = arms * 3 * pass + arms * evaluation / Double(max(1, metricsEvery))
        return cost
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        SparseRecordingSimulation(config: config, seed: seed)
    }
}
