import SynCore
import SynModels

/// `model = "hebbian"`: a linear layer learning principal components with Hebb, Oja, Oja's
/// subspace rule or Sanger's GHA (scenes `oja`, `sanger-digits`).
///
/// ```toml
/// [network]
/// outputs = 16          # k rows of W, in [1, 1024]
/// init_scale = 1.0      # W0 ~ N(0, init_scale^2 / inputs)
/// [rule]
/// name = "sanger"       # hebb | oja | subspace | sanger
/// switchable = ["sanger", "subspace", "oja"]
/// eta = 0.02            # learning rate per sample, in (0, 10]
/// [task]
/// name = "digits"       # lowrank_gaussian | digits | idx
/// ```
/// `lowrank_gaussian` takes `variances = [...]` (the covariance spectrum; its length is the
/// input dimension) and `idx` takes `images`, optional `labels` (paths relative to the scene
/// file) and `limit`. Data sets are mean-centred before learning.
public struct HebbianSceneModel: SceneModel {
    public static let kind = "hebbian"
    public static let summary = "linear layer learning principal components (Hebb, Oja, subspace, Sanger)"

    enum Task: Sendable {
        case gaussian(variances: [Float])
        case digits
        case idx(images: String, labels: String?, limit: Int)
    }

    let outputs: Int
    let initScale: Double
    let rules: [HebbianRule]
    let start: Int
    let eta: Double
    let task: Task
    let file: String

    public init(reading scene: inout SceneReader) throws(SceneError) {
        file = scene.file
        var net = try scene.table("network")
        outputs = try net.integer("outputs", in: 1...1024)
        initScale = try net.number("init_scale", in: .openClosed(0, 100), default: 1)
        try net.finish()

        var rule = try scene.table("rule")
        let all = HebbianRule.allCases.map(\.rawValue)
        let name = try rule.string("name", oneOf: all)
        let switchable = try rule.strings("switchable", oneOf: all, default: [name])
        guard let s = switchable.firstIndex(of: name) else {
            throw rule.error("switchable", "must contain the starting rule \"\(name)\", got [\(switchable.joined(separator: ", "))]")
        }
        rules = switchable.compactMap(HebbianRule.init(rawValue:))
        start = s
        eta = try rule.number("eta", in: .openClosed(0, 10))
        try rule.finish()

        var t = try scene.table("task")
        switch try t.string("name", oneOf: ["lowrank_gaussian", "digits", "idx"]) {
        case "lowrank_gaussian":
            let v = try t.numbers("variances", in: .open(0, 1e6), count: 1...4096)
            task = .gaussian(variances: v.map(Float.init))
        case "digits":
            task = .digits
        default:
            let images = try t.string("images")
            let labels = t.has("labels") ? try t.string("labels") : nil
            let limit = try t.integer("limit", in: 1...1_000_000, default: 60_000)
            task = .idx(images: Self.relative(images, to: scene.file), labels: labels.map { Self.relative($0, to: scene.file) }, limit: limit)
        }
        try t.finish()
        if case .gaussian(let v) = task, outputs > v.count {
            throw net.error("outputs", "expected an integer in [1, \(v.count)] (at most the input dimension), got \(outputs)")
        }
    }

    static func relative(_ path: String, to sceneFile: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = sceneFile.lastIndex(of: "/") else { return path }
        return String(sceneFile[...slash]) + path
    }

    public var metricNames: [String] { ["alignment", "subspace_alignment", "weight_norm", "orthonormality_error"] }
    public var viewNames: [String] { ["weights", "components", "spectrum"] }
    public var ruleNames: [String] { rules.map(\.rawValue) }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let config = HebbianPCA.Config(outputs: outputs, rules: rules, start: start, eta: Float(eta), initScale: Float(initScale))
        let source: HebbianPCA.Source
        switch task {
        case .gaussian(let v):
            var rng = RNG(seed: seed).stream("task")
            source = .gaussian(LowRankGaussian(variances: v, rng: &rng))
        case .digits:
            source = .dataset(Digits.split().train.centered())
        case .idx(let images, let labels, let limit):
            do throws(DataError) {
                source = .dataset(try IDX.loadDataset(images: images, labels: labels, limit: limit).centered())
            } catch {
                throw SceneError(file: file, key: "task.images", message: error.message)
            }
        }
        if case .dataset(let ds) = source, outputs > ds.features {
            throw SceneError(file: file, key: "network.outputs", message: "expected at most the input dimension \(ds.features), got \(outputs)")
        }
        return HebbianPCA(config: config, source: source, seed: seed)
    }
}
