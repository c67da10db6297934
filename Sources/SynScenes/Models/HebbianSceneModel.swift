import SynCore
import SynModels

/// `model = "hebbian"`: a layer of units learning with a local Hebbian rule (Hebb, Oja, Oja's
/// subspace rule, Sanger's GHA, BCM, Földiák, SoftHebb), one sample per step (scenes `oja`,
/// `sanger-digits`, `foldiak-bars`).
///
/// ```toml
/// [network]
/// outputs = 16          # k units (rows of W), in [1, 1024]
/// init_scale = 1.0      # W0 ~ N(0, init_scale^2 / inputs)
/// [rule]
/// name = "sanger"       # a rule of `HebbianRules.registry` (`synaptop rules hebbian`)
/// switchable = ["sanger", "subspace", "oja"]
/// eta = 0.02            # any parameter of the listed rules (each rule's default otherwise)
/// [rule.bcm]            # optional: a parameter for one rule only
/// tau = 50
/// [task]
/// name = "digits"       # lowrank_gaussian | digits | idx | bars
/// ```
/// `lowrank_gaussian` takes `variances = [...]` (the covariance spectrum; its length is the
/// input dimension), `idx` takes `images`, optional `labels` (paths relative to the scene
/// file) and `limit`; data sets are mean-centred before learning. `bars` takes `side` (image
/// side, in [2, 32], default 8) and `probability` (each bar's, in (0, 1), default 1 / side).
public struct HebbianSceneModel: SceneModel {
    public static let kind = "hebbian"
    public static var ruleFamily: String { HebbianRules.registry.family }
    public static let summary = "layer learning with local Hebbian rules (Hebb, Oja, subspace, Sanger, BCM, Földiák, SoftHebb)"

    enum Task: Sendable {
        case gaussian(variances: [Float])
        case digits
        case idx(images: String, labels: String?, limit: Int)
        case bars(side: Int, probability: Double)
    }

    let outputs: Int
    let initScale: Double
    let selection: RuleSelection<any HebbianLearningRule>
    let task: Task
    let file: String

    public init(reading scene: inout SceneReader) throws(SceneError) {
        file = scene.file
        var net = try scene.table("network")
        outputs = try net.integer("outputs", in: 1...1024)
        initScale = try net.number("init_scale", in: .openClosed(0, 100), default: 1)
        try net.finish()

        var rule = try scene.table("rule")
        selection = try rule.rules(from: HebbianRules.registry)
        try rule.finish()

        var t = try scene.table("task")
        switch try t.string("name", oneOf: ["lowrank_gaussian", "digits", "idx", "bars"]) {
        case "lowrank_gaussian":
            let v = try t.numbers("variances", in: .open(0, 1e6), count: 1...4096)
            task = .gaussian(variances: v.map(Float.init))
        case "digits":
            task = .digits
        case "bars":
            let side = try t.integer("side", in: 2...32, default: 8)
            task = .bars(side: side, probability: try t.number("probability", in: .open(0, 1), default: 1 / Double(side)))
        case "idx":
            let images = try t.string("images")
            let labels = t.has("labels") ? try t.string("labels") : nil
            let limit = try t.integer("limit", in: 1...1_000_000, default: 60_000)
            task = .idx(images: Self.relative(images, to: scene.file), labels: labels.map { Self.relative($0, to: scene.file) }, limit: limit)
        case let other:
            throw t.error("name", "unknown task \"\(other)\"")  // unreachable: `oneOf` checked the name
        }
        try t.finish()
        if case .gaussian(let v) = task, outputs > v.count {
            throw net.error("outputs", "expected an integer in [1, \(v.count)] (at most the input dimension), got \(outputs)")
        }
        // Input dimensions known without loading data: caught by `check`, not only by `run`.
        if case .digits = task, outputs > Self.digitsFeatures {
            throw net.error("outputs", "expected an integer in [1, \(Self.digitsFeatures)] (at most the input dimension), got \(outputs)")
        }
        // Data files must exist and be regular files (`check` says so without reading them).
        if case .idx(let images, let labels, _) = task {
            for (key, path) in [("images", images), ("labels", labels)] {
                guard let path, !FileIO.isFile(path) else { continue }
                throw t.error(key, FileIO.isDirectory(path) || FileIO.exists(path) ? "\(path) is not a regular file" : "no such file \(path)")
            }
        }
    }

    /// Input dimension of the built-in digits (8 x 8 images).
    static let digitsFeatures = 64

    /// Largest input dimension of an `idx` data set.
    public static let maxFeatures = 4096

    static func relative(_ path: String, to sceneFile: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = sceneFile.lastIndex(of: "/") else { return path }
        return String(sceneFile[...slash]) + path
    }

    /// An `idx` data set; errors name `task.images` or `task.labels`, whichever file is at fault.
    static func loadIDX(images: String, labels: String?, limit: Int?, file: String) throws(SceneError) -> Dataset {
        let img: IDX.Tensor
        do throws(DataError) { img = try IDX.loadImages(images, limit: limit, maxPixels: maxFeatures) } catch {
            throw SceneError(file: file, key: "task.images", message: error.message)
        }
        let n = img.shape[0], rows = img.shape[1], cols = img.shape[2]
        var lab = [Int](repeating: 0, count: n)
        var classes = 1
        if let labels {
            do throws(DataError) { lab = try IDX.loadLabels(labels, count: n) } catch {
                throw SceneError(file: file, key: "task.labels", message: error.message)
            }
            classes = (lab.max() ?? 0) + 1
        }
        let x = Matrix(rows: n, cols: rows * cols, storage: img.bytes.map { Float($0) / 255 })
        return Dataset(x: x, labels: lab, classes: classes, imageShape: (rows, cols))
    }

    public var metrics: [MetricSpec] {
        if case .bars = task { return HebbianSimulation.barsMetrics }
        return HebbianSimulation.pcaMetrics
    }
    public static var metricCatalog: [MetricSpec] { HebbianSimulation.pcaMetrics + HebbianSimulation.barsMetrics }
    public var metricNames: [String] { metrics.map(\.name) }
    public var views: [ViewSpec] { HebbianSimulation.views }
    public var viewNames: [String] { HebbianSimulation.viewNames }
    public var ruleSummaries: [RuleSummary] { selection.summaries }
    public var ruleNames: [String] { selection.names }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let config = HebbianSimulation.Config(outputs: outputs, rules: selection.rules, start: selection.start, initScale: Float(initScale))
        let source: HebbianSimulation.Source
        switch task {
        case .gaussian(let v):
            var rng = RNG(seed: seed).stream("task")
            source = .gaussian(LowRankGaussian(variances: v, rng: &rng))
        case .digits:
            source = .dataset(Digits.split().train.centered())
        case .bars(let side, let p):
            source = .bars(Bars(side: side, probability: p))
        case .idx(let images, let labels, let limit):
            source = .dataset(try Self.loadIDX(images: images, labels: labels, limit: limit, file: file).centered())
        }
        // The data covariance (features^2 doubles) and its eigen decomposition (features^3) must
        // stay affordable: 4096 features (64 x 64 images) is 128 MiB and a few seconds.
        if case .dataset(let ds) = source, ds.features > Self.maxFeatures {
            throw SceneError(file: file, key: "task.images",
                             message: "expected images of at most \(Self.maxFeatures) pixels (e.g. 64 x 64), got \(ds.features)")
        }
        if case .dataset(let ds) = source, outputs > ds.features {
            throw SceneError(file: file, key: "network.outputs", message: "expected at most the input dimension \(ds.features), got \(outputs)")
        }
        return HebbianSimulation(config: config, source: source, seed: seed)
    }
}

extension HebbianSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        let d: Double
        switch task {
        case .gaussian(let v): d = Double(v.count)
        case .digits: d = Double(HebbianSceneModel.digitsFeatures)
        case .bars(let side, _): d = Double(side * side)
        case .idx: d = Double(HebbianSceneModel.maxFeatures)  // not known before reading the header
        }
        // Covariance, eigenvectors and (Gaussian task) a random orthonormal basis: d x d
        // doubles each; their construction is ~10 d^3.
        c.bytes = 3 * d * d * 8 + Double(outputs) * d * f * 2
        c.setupFlops = 10 * d * d * d
        c.stepFlops = 4 * Double(outputs) * d + Double(outputs) * d * Double(outputs) / Double(max(1, metricsEvery))
        return c
    }
}
