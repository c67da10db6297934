import SynCore

/// Configuration of the biprop scene (the science page's smallest experiment).
public struct BipropConfig: Sendable, Equatable {
    /// Hidden units L.
    public var hidden = 16
    /// Standard deviation of the truncated-normal initial weights.
    public var initSD: Float = 0.1
    /// Adam learning rate η of both losses.
    public var eta: Float = 0.003
    /// Minibatch size B.
    public var batch = 100
    /// FGSM step ε (live control "epsilon").
    public var epsilon: Float = 0.2
    /// Amplitude a of the uniform pixel noise x + a U[0, 1] (live control "noise").
    public var noiseLevel: Float = 0.1
    /// Pure-noise images U[0, 1]^P of the noise-confidence probe.
    public var noiseImages = 297
    /// Test digits in the adversarial strip.
    public var shownDigits = 4
    public init() {}
}

/// Backprop vs bidirectional learning on digits (scene `biprop`; Pontes-Filho & Liwicki 2019,
/// arXiv 1805.08006): one P-L-10 sigmoid network per variant of the scene (`BipropRule`:
/// backprop, biprop, halfbiprop), all from the same initial weights and fed the same minibatches.
/// One step = one minibatch: every arm takes its Adam step on L_c, then, if its variant says so,
/// one on L_g (separate Adam moments per loss). Each metrics row evaluates every arm on the test
/// digits: clean, noisy (x + a U) and FGSM accuracy, and the confidence on pure noise.
///
/// The active rule (r) only picks the arm in focus (the unsuffixed metrics, the teaching panel);
/// every arm keeps training with its own variant, so a switch changes no weight.
public struct BipropSimulation: Simulation {
    struct Arm: Sendable {
        var network: BipropNetwork
        var adamC: DynamicsRuleState
        var adamG: DynamicsRuleState
        var adamBias: DynamicsRuleState
        var lossC = 0.0, lossG = 0.0, batches = 0
        var last: BipropNetwork.Probe?
    }

    /// The metrics of the arm in focus.
    public static let baseMetrics: [MetricSpec] = [
        MetricSpec("test_acc", "clean test accuracy of the variant in focus (r)"),
        MetricSpec("fgsm_acc", "FGSM test accuracy of the variant in focus at the current epsilon"),
        MetricSpec("noisy_acc", "test accuracy of the variant in focus on clip(x + noise U[0,1], 0, 1)"),
        MetricSpec("noise_conf_ratio", "variant in focus: max softmax over pure-noise images / max over test images (paper code)"),
        MetricSpec("noise_conf_ratio_mean", "variant in focus: mean max-softmax on pure noise / the same mean on test images"),
        MetricSpec("loss_c", unit: "nats", "variant in focus: mean classifier cross-entropy since the last row (NaN before training)",
                   mayBeUndefined: true),
        MetricSpec("loss_g", unit: "nats", "variant in focus: mean generator BCE per pixel since the last row (NaN before training)",
                   mayBeUndefined: true),
    ]

    /// The metrics of the arm trained with `name`, named variant first (`biprop_fgsm_acc`) so a
    /// chart's legend, abbreviated in the middle, still tells the variants apart.
    public static func armMetrics(_ name: String) -> [MetricSpec] {
        [
            MetricSpec("\(name)_clean_acc", "\(name): clean test accuracy"),
            MetricSpec("\(name)_fgsm_acc", "\(name): test accuracy on FGSM images at the current epsilon"),
            MetricSpec("\(name)_noisy_acc", "\(name): test accuracy on clip(x + noise U[0,1], 0, 1)"),
            MetricSpec("\(name)_noise_conf_ratio", "\(name): max softmax over pure-noise images / max over test images (paper code)"),
            MetricSpec("\(name)_noise_conf_ratio_mean", "\(name): mean max-softmax on noise / the same mean on test images"),
            MetricSpec("\(name)_loss_c", unit: "nats", "\(name): mean classifier cross-entropy since the last row", mayBeUndefined: true),
            MetricSpec("\(name)_loss_g", unit: "nats", "\(name): mean generator BCE per pixel since the last row (measured even when it does not train)",
                       mayBeUndefined: true),
        ]
    }

    public static func metrics(rules names: [String]) -> [MetricSpec] { baseMetrics + names.flatMap(armMetrics) }

    public static let viewSpecs = [
        ViewSpec("generated", "generated images x̂(y): for y = 0..9 in turn, one tile per variant (scene order)"),
        ViewSpec("templates", "W1 columns as 8x8 tiles (each hidden unit's classifier weights = its generator template), L per variant"),
        ViewSpec("adversarial", "test digits and their FGSM images at the current epsilon: clean, then one per variant"),
        ViewSpec("summary", "the last row of every variant side by side: clean, noisy, FGSM accuracy, noise-confidence ratios"),
    ]

    public let config: BipropConfig
    public let rules: [any BipropRule]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: (train.count + config.batch - 1) / config.batch) }

    let train: Dataset, test: Dataset
    var arms: [Arm]
    let adam: AdamW
    let allParams: [Float], weightsOnly: [Float], allBias: [Float]
    var orderRNG: RNG
    var order: [Int]
    var cursor = 0
    var epsilon: Float
    var noiseLevel: Float
    /// Fixed U[0, 1] draws: per test pixel (noisy accuracy) and the pure-noise images.
    let pixelNoise: [Float], noiseImages: [Float]

    public init(config: BipropConfig, rules: [any BipropRule], names: [String], start: Int, seed: UInt64,
                train: Dataset, test: Dataset) {
        precondition(!rules.isEmpty && rules.count == names.count && train.count > 0 && config.batch > 0)
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        self.train = train
        self.test = test
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        let network = BipropNetwork(inputs: train.features, hidden: config.hidden, classes: train.classes, initSD: config.initSD, rng: &initRNG)
        let lay = network.net.layout
        let n = network.net.params.count, nb = network.generatorBias.count
        arms = rules.map { _ in
            Arm(network: network, adamC: DynamicsRuleState(count: n), adamG: DynamicsRuleState(count: n), adamBias: DynamicsRuleState(count: nb))
        }
        adam = AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": Double(config.eta), "weight_decay": 0]))
        allParams = [Float](repeating: 1, count: n)
        var mask = [Float](repeating: 0, count: n)
        for l in 0..<lay.layers { for k in 0..<lay.weightCount(l) { mask[lay.wOffset[l] + k] = 1 } }
        weightsOnly = mask
        allBias = [Float](repeating: 1, count: nb)
        orderRNG = root.stream("order")
        order = Array(0..<train.count)
        orderRNG.shuffle(&order)
        epsilon = config.epsilon
        noiseLevel = config.noiseLevel
        var noiseRNG = root.stream("probe-noise")
        pixelNoise = (0..<(test.count * train.features)).map { _ in noiseRNG.uniform() }
        noiseImages = (0..<(config.noiseImages * train.features)).map { _ in noiseRNG.uniform() }
        metricNames = Self.metrics(rules: names).map(\.name)
    }

    public var ruleEquation: String {
        rules[activeRule].equation + ";  h = sigma(x W1 + b1), L_c = CE(softmax(h W2 + b2), y);  x_hat = sigma(sigma(y W2^T + c2) W1^T + c1), "
            + "L_g = BCE(x_hat, x);  Adam eta = \(config.eta), batch \(config.batch)"
    }

    public var events: [SimulationEvent] {
        var seen = Set<Int>()
        var out: [SimulationEvent] = []
        for (rule, name) in zip(rules, ruleNames) {
            // The last minibatch with a generator step, when it ends before now.
            guard rule.trainsGenerator(at: 0) else { continue }
            var lo = 0, hi = step
            guard hi > 0, !rule.trainsGenerator(at: hi - 1) else { continue }
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if rule.trainsGenerator(at: mid) { lo = mid } else { hi = mid }
            }
            if seen.insert(hi).inserted { out.append(SimulationEvent(step: hi, label: "\(name): generator off")) }
        }
        return out
    }

    // MARK: training

    public mutating func advance(_ steps: Int) {
        var batch = [Int]()
        batch.reserveCapacity(config.batch)
        for _ in 0..<max(0, steps) {
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<config.batch {
                if cursor == order.count { orderRNG.shuffle(&order); cursor = 0 }
                batch.append(order[cursor]); cursor += 1
            }
            for a in arms.indices { trainStep(arm: a, batch[...]) }
            step += 1
        }
    }

    private mutating func trainStep(arm a: Int, _ rows: ArraySlice<Int>) {
        var arm = arms[a]
        let n = arm.network.net.params.count
        var g = [Float](repeating: 0, count: n)
        arm.lossC += arm.network.addClassifierGradient(train, rows: rows, into: &g) / Double(rows.count)
        let scale = 1 / Float(rows.count)
        for i in g.indices { g[i] *= scale }
        adam.update(&arm.network.net.params, gradient: g, mask: allParams, state: &arm.adamC)
        var gb = [Float](repeating: 0, count: arm.network.generatorBias.count)
        arm.lossG += arm.network.generatorGradient(train, rows: rows, gWeights: &g, gBias: &gb)
        if rules[a].trainsGenerator(at: step) {
            adam.update(&arm.network.net.params, gradient: g, mask: weightsOnly, state: &arm.adamG)
            adam.update(&arm.network.generatorBias, gradient: gb, mask: allBias, state: &arm.adamBias)
        }
        arm.batches += 1
        arms[a] = arm
    }

    // MARK: protocol

    public mutating func measure() -> [Double] {
        var rows: [[Double]] = []
        for a in arms.indices {
            let probe = arms[a].network.evaluate(test, epsilon: epsilon, noiseLevel: noiseLevel, pixelNoise: pixelNoise, noiseImages: noiseImages)
            arms[a].last = probe
            let b = arms[a].batches
            rows.append([probe.clean, probe.fgsm, probe.noisy, probe.confidence.ratio, probe.confidence.meanRatio,
                         b > 0 ? arms[a].lossC / Double(b) : .nan, b > 0 ? arms[a].lossG / Double(b) : .nan])
            arms[a].lossC = 0; arms[a].lossG = 0; arms[a].batches = 0
        }
        let f = rows[activeRule]
        return f + rows.flatMap { $0 }
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var controls: [Control] {
        [Control(name: "epsilon", value: Double(epsilon), range: 0...1, step: 0.05),
         Control(name: "noise", value: Double(noiseLevel), range: 0...1, step: 0.05)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "epsilon" { epsilon = Float(value) } else { noiseLevel = Float(value) }
        return nil
    }

    public func views() -> [String: PanelView] {
        let p = train.features
        let tile = train.imageShape.map { TileShape(rows: $0.rows, cols: $0.cols) }
        var generated: [Float] = [], templates: [Float] = []
        var limit: Float = 1e-6
        for c in 0..<train.classes { for arm in arms { generated += arm.network.generate(c).image } }
        for arm in arms {
            let w = arm.network.net.weights(0).storage
            templates += w
            for v in w { limit = max(limit, abs(v)) }
        }
        var strip: [Float] = []
        var labels: [String] = []
        let shown = min(config.shownDigits, test.count)
        for n in 0..<shown {
            let x = Array(test.sample(n)), y = test.labels[n]
            strip += x
            var predicted: [String] = []
            for arm in arms {
                var net = arm.network
                let adv = net.adversarial(x, label: y, epsilon: epsilon)
                strip += adv
                _ = net.net.predict(adv)
                predicted.append("\(net.net.argmaxOutput())")
            }
            labels.append("digit \(y) -> " + predicted.joined(separator: " / "))
        }
        return [
            "generated": .heatmap(HeatmapView(rows: arms.count * train.classes, cols: p, values: generated, tile: tile, scale: .fixed(0, 1))),
            "templates": .heatmap(HeatmapView(rows: arms.count * config.hidden, cols: p, values: templates, tile: tile, scale: .symmetric(limit))),
            "adversarial": .heatmap(HeatmapView(rows: shown * (1 + arms.count), cols: p, values: strip, tile: tile, scale: .fixed(0, 1))),
            "summary": .text(summary(adversarialLabels: labels)),
        ]
    }

    /// The last row of every variant, one line each, then the strip's FGSM predictions.
    func summary(adversarialLabels: [String]) -> String {
        func cell(_ v: Double?) -> String { v.map { $0.isFinite ? NumberFormat.fixed($0, 3) : "-" } ?? "-" }
        var lines: [String] = []
        for (a, arm) in arms.enumerated() {
            let p = arm.last
            lines.append((a == activeRule ? "> " : "") + ruleNames[a] + ": clean " + cell(p?.clean) + ", noisy " + cell(p?.noisy)
                         + ", FGSM " + cell(p?.fgsm) + ", noise conf. " + cell(p?.confidence.ratio) + " (mean " + cell(p?.confidence.meanRatio) + ")")
        }
        lines.append("epsilon \(NumberFormat.fixed(Double(epsilon), 2)), noise \(NumberFormat.fixed(Double(noiseLevel), 2)); FGSM strip predicted ("
                     + ruleNames.joined(separator: " / ") + "):")
        lines += adversarialLabels
        return lines.joined(separator: "\n")
    }

    public func probe() -> [Factor] {
        let arm = arms[activeRule]
        return [Factor("generator trains now (1/0)", rules[activeRule].trainsGenerator(at: step) ? 1 : 0),
                Factor("Adam_c updates", Double(arm.adamC.updates)), Factor("Adam_g updates", Double(arm.adamG.updates)),
                Factor("epsilon", Double(epsilon)), Factor("noise", Double(noiseLevel))]
    }
}
