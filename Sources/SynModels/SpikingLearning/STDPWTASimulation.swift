import SynCore

/// Configuration of the STDP winner-take-all digit network (Tavanaei et al. 2019, section on
/// STDP with competition; Diehl & Cook 2015 made small). Times in seconds, potentials in mV.
public struct STDPWTAConfig: Sendable, Equatable {
    public var neurons = 100
    public var dt = 0.001
    public var tauM = 0.1
    public var restMV: Float = -65
    public var resetMV: Float = -65
    public var thresholdMV: Float = -52
    public var refractory = 0.005
    /// Presentation of one digit (s); V and traces are reset between digits.
    public var presentation = 0.1
    /// Rate of a pixel of value 1 (Hz).
    public var maxRateHz = 250.0
    public var wMax: Float = 1
    /// Initial weights U(0, initMax), then normalised.
    public var initMax: Float = 0.3
    public var thetaPlusMV: Float = 0.05
    /// Σ_i w_ij = normalisation · n_in · w_max after each digit (0 = off).
    public var normalisation: Float = 0.1
    public var wta = true
    public var adaptiveThreshold = true
    /// Training digits (the first of the fixed split's 1500).
    public var trainCount = 1200
    /// Training digits shown (plasticity off) to label the neurons at each evaluation.
    public var labelCount = 1000
    /// Test digits classified at each evaluation (the last of the split's 297).
    public var testCount = 297
    /// Digits presented between evaluations.
    public var evalEvery = 300
    /// Steps shown in the raster.
    public var rasterSteps = 1000

    public init() {}

    func steps(_ seconds: Double) -> Int { max(0, Int((seconds / dt).rounded())) }
    public var presentationSteps: Int { max(1, steps(presentation)) }
    public var refractorySteps: Int { steps(refractory) }
}

/// STDP + winner-take-all + adaptive threshold learning digit prototypes without labels
/// (Tavanaei et al. 2019; Diehl & Cook 2015), on rate-coded 8x8 digits.
///
/// Each digit is shown for `presentationSteps` steps as Poisson trains (`RateCoder`); per step:
/// input spikes set their traces to 1 and add their weights to the neurons' input; the
/// `WTALayer` steps; each spiking neuron's weights change by the active `WTAPlasticity`.
/// After a digit, each neuron's weights are scaled to the normalisation sum, V and traces reset.
/// Every `evalEvery` digits the network is frozen (copies, its own RNG stream): each neuron is
/// labelled with the class it responds to most on `labelCount` training digits, and test
/// digits are classified by the class whose neurons spike most on average.
public struct STDPWTASimulation: Simulation, SpikeSource {
    public let config: STDPWTAConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public let rules: [any WTAPlasticity]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    /// W (neurons x inputs, row j = neuron j's receptive field).
    public private(set) var weights: Matrix
    public private(set) var layer: WTALayer
    public private(set) var wta: Bool
    public private(set) var adaptiveThreshold: Bool
    /// Neuron labels from the last evaluation (-1: never spiked while labelling).
    public private(set) var assignment: [Int]
    /// Test confusion counts (true x predicted) of the last evaluation.
    public private(set) var confusion: [Int]
    public private(set) var testAccuracy = Double.nan
    public private(set) var silentFraction = Double.nan
    public private(set) var samplesSeen = 0
    public private(set) var recorder: SpikeRecorder

    let train: Dataset
    let test: Dataset
    let seed: UInt64
    var coder: RateCoder
    var traces: EventTraces
    var inputRNG: RNG
    var orderRNG: RNG
    var order: [Int]
    var orderPosition = 0
    var phase = 0
    var current: [Float]
    var inputSpikes = SpikeBuffer(capacity: 64)
    var outputSpikes = SpikeBuffer(capacity: 8)
    var spikesSinceMeasure = 0
    var stepsSinceMeasure = 0
    var evaluations = 0
    var probeNeuron = 0

    public init(config: STDPWTAConfig, rules: [any WTAPlasticity], names: [String], start: Int, seed: UInt64,
                data: (train: Dataset, test: Dataset) = Digits.split()) {
        precondition(!rules.isEmpty && rules.count == names.count)
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        self.seed = seed
        train = data.train.slice(0..<min(config.trainCount, data.train.count))
        test = data.test.slice((data.test.count - min(config.testCount, data.test.count))..<data.test.count)
        let n = config.neurons, d = train.features
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        weights = Matrix(rows: n, cols: d) { _, _ in initRNG.uniform(0, config.initMax) }
        layer = WTALayer(neurons: n, leak: Float(config.dt / config.tauM), restMV: config.restMV, resetMV: config.resetMV,
                         thresholdMV: config.thresholdMV, refractorySteps: config.refractorySteps, thetaPlusMV: config.thetaPlusMV)
        wta = config.wta
        adaptiveThreshold = config.adaptiveThreshold
        assignment = [Int](repeating: -1, count: n)
        confusion = [Int](repeating: 0, count: train.classes * train.classes)
        coder = RateCoder(inputs: d, maxRateHz: config.maxRateHz, dt: config.dt)
        traces = EventTraces(count: d, tau: rules[activeRule].tauPre, dt: config.dt)
        inputRNG = root.stream("input")
        orderRNG = root.stream("order")
        order = Array(0..<train.count)
        current = [Float](repeating: 0, count: n)
        recorder = SpikeRecorder(neuronCount: d + n, capacity: 1 << 16, windowSteps: max(10, config.rasterSteps))
        if config.normalisation > 0 { normalise() }
    }

    public static let metrics = [
        MetricSpec("test_acc", "test digits classified right by the class of the neurons that spike most (last evaluation; NaN before the first)",
                   mayBeUndefined: true),
        MetricSpec("classes_covered", "classes owned by at least one neuron at the last labelling (of 10; NaN before the first)", mayBeUndefined: true),
        MetricSpec("silent_fraction", "test digits that made no neuron spike (last evaluation; NaN before the first)", mayBeUndefined: true),
        MetricSpec("rate_hz", unit: "Hz", "mean rate of the excitatory neurons while training, since the last row"),
        MetricSpec("theta_mean_mv", unit: "mV", "mean adaptive threshold shift θ"),
    ]
    public static let views = [
        ViewSpec("raster", "input (64) and excitatory spikes of the last digits"),
        ViewSpec("fields", "each neuron's input weights as an 8x8 tile (receptive fields)"),
        ViewSpec("theta", "histogram of the adaptive threshold shifts θ (mV)"),
        ViewSpec("confusion", "test confusion of the last evaluation: true class (rows) x predicted (columns), fraction of the row"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var bigStep: StepUnit { StepUnit(name: "digit", steps: config.presentationSteps) }
    public var rule: any WTAPlasticity { rules[activeRule] }

    public var ruleEquation: String {
        rule.equation + "; after each digit Σ_i w_ij = \(config.normalisation) n_in w_max; winner-take-all "
            + (wta ? "on" : "off") + ", adaptive threshold " + (adaptiveThreshold ? "on (θ += \(config.thetaPlusMV) mV per spike)" : "off")
    }

    // MARK: stepping

    public mutating func advance(_ steps: Int) {
        let n = config.neurons, d = train.features, present = config.presentationSteps
        let learns = rule.learns, wMax = config.wMax
        for _ in 0..<max(0, steps) {
            if phase == 0 { beginDigit() }
            inputSpikes.removeAll()
            coder.emit(rng: &inputRNG, into: &inputSpikes)
            for k in 0..<inputSpikes.count { traces.set(Int(inputSpikes[k]), 1, at: step) }
            for j in 0..<n { current[j] = 0 }
            weights.addColumns(of: inputSpikes, into: &current)
            outputSpikes.removeAll()
            layer.step(current: current, wta: wta, adaptive: adaptiveThreshold, spikes: &outputSpikes)
            if learns {
                for k in 0..<outputSpikes.count { potentiate(Int(outputSpikes[k]), wMax: wMax) }
            }
            recorder.record(step: step, spikes: inputSpikes)
            recorder.record(step: step, spikes: outputSpikes, offset: -Int32(d))
            spikesSinceMeasure += outputSpikes.count
            stepsSinceMeasure += 1
            step += 1
            phase += 1
            if phase == present { endDigit() }
        }
    }

    mutating func potentiate(_ j: Int, wMax: Float) {
        let d = train.features, r = rule, s = step
        weights.withMutableRow(j) { w in
            for i in 0..<d {
                let x = traces.value(i, at: s)
                w[i] = min(wMax, max(0, w[i] + r.atPost(w: w[i], xPre: x, wMax: wMax)))
            }
        }
    }

    mutating func beginDigit() {
        if orderPosition == 0 { orderRNG.shuffle(&order) }
        coder.load(train.sample(order[orderPosition]))
        orderPosition = (orderPosition + 1) % order.count
        layer.rest()
        traces.reset()
    }

    mutating func endDigit() {
        phase = 0
        samplesSeen += 1
        if rule.learns && config.normalisation > 0 { normalise() }
        if samplesSeen % config.evalEvery == 0 { evaluate() }
    }

    /// Scales each neuron's weights so they sum to normalisation · n_in · w_max.
    mutating func normalise() {
        let d = weights.cols
        let target = config.normalisation * Float(d) * config.wMax
        for j in 0..<weights.rows {
            weights.withMutableRow(j) { w in
                var s: Float = 0
                for i in 0..<d { s += w[i] }
                guard s > 0 else { return }
                let k = target / s
                for i in 0..<d { w[i] *= k }
            }
        }
    }

    // MARK: evaluation

    /// Spike counts per neuron for one digit, plasticity off and θ frozen (on a copy).
    func respond(_ pixels: ArraySlice<Float>, rng: inout RNG) -> [Int] {
        var layer = self.layer
        layer.rest()
        var coder = self.coder
        coder.load(pixels)
        let n = config.neurons
        var counts = [Int](repeating: 0, count: n)
        var input = SpikeBuffer(capacity: 64), output = SpikeBuffer(capacity: 8)
        var current = [Float](repeating: 0, count: n)
        for _ in 0..<config.presentationSteps {
            input.removeAll()
            coder.emit(rng: &rng, into: &input)
            for j in 0..<n { current[j] = 0 }
            weights.addColumns(of: input, into: &current)
            output.removeAll()
            layer.step(current: current, wta: wta, adaptive: adaptiveThreshold, spikes: &output)
            for k in 0..<output.count { counts[Int(output[k])] += 1 }
        }
        return counts
    }

    /// Labels the neurons on training digits, then classifies the test digits.
    public mutating func evaluate() {
        var rng = RNG(seed: seed).stream("eval").stream(evaluations)
        evaluations += 1
        let n = config.neurons, classes = train.classes
        var response = [Double](repeating: 0, count: n * classes)
        var shown = [Int](repeating: 0, count: classes)
        for s in 0..<min(config.labelCount, train.count) {
            let c = train.labels[s]
            shown[c] += 1
            for (j, k) in respond(train.sample(s), rng: &rng).enumerated() { response[j * classes + c] += Double(k) }
        }
        assignment = Self.assign(response: response, shown: shown, neurons: n, classes: classes)
        var right = 0, silent = 0
        confusion = [Int](repeating: 0, count: classes * classes)
        for s in 0..<test.count {
            let counts = respond(test.sample(s), rng: &rng)
            let predicted = Self.classify(counts: counts, assignment: assignment, classes: classes)
            if counts.allSatisfy({ $0 == 0 }) { silent += 1 }
            guard let p = predicted else { continue }
            confusion[test.labels[s] * classes + p] += 1
            if p == test.labels[s] { right += 1 }
        }
        testAccuracy = test.count > 0 ? Double(right) / Double(test.count) : .nan
        silentFraction = test.count > 0 ? Double(silent) / Double(test.count) : .nan
    }

    /// Each neuron's class: the one with the largest mean response per digit shown (-1 when it
    /// never spiked).
    public static func assign(response: [Double], shown: [Int], neurons: Int, classes: Int) -> [Int] {
        (0..<neurons).map { j in
            var best = -1
            var bestRate = 0.0
            for c in 0..<classes where shown[c] > 0 {
                let r = response[j * classes + c] / Double(shown[c])
                if r > bestRate { best = c; bestRate = r }
            }
            return best
        }
    }

    /// The class whose labelled neurons spiked most on average (nil when none of them spiked).
    public static func classify(counts: [Int], assignment: [Int], classes: Int) -> Int? {
        var sum = [Double](repeating: 0, count: classes), members = [Int](repeating: 0, count: classes)
        for (j, c) in assignment.enumerated() where c >= 0 {
            sum[c] += Double(counts[j])
            members[c] += 1
        }
        var best: Int?
        var bestScore = 0.0
        for c in 0..<classes where members[c] > 0 {
            let score = sum[c] / Double(members[c])
            if score > bestScore { best = c; bestScore = score }
        }
        return best
    }

    // MARK: Simulation

    public mutating func measure() -> [Double] {
        let rate = stepsSinceMeasure > 0
            ? Double(spikesSinceMeasure) / (Double(stepsSinceMeasure) * config.dt * Double(config.neurons)) : 0
        spikesSinceMeasure = 0
        stepsSinceMeasure = 0
        let covered = evaluations > 0 ? Double(Set(assignment.filter { $0 >= 0 }).count) : .nan
        let thetaMean = layer.theta.reduce(0, +) / Float(max(1, layer.count))
        return [testAccuracy, covered, silentFraction, rate, Double(thetaMean)]
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
        traces = EventTraces(count: weights.cols, tau: rule.tauPre, dt: config.dt)
    }

    public var controls: [Control] {
        [Control(name: "wta", value: wta ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"]),
         Control(name: "adaptive_threshold", value: adaptiveThreshold ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"])]
    }

    enum ControlName: String {
        case wta
        case adaptiveThreshold = "adaptive_threshold"
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        guard let control = ControlName(rawValue: name) else { return "unknown control '\(name)'" }
        switch control {
        case .wta: wta = value >= 0.5
        case .adaptiveThreshold: adaptiveThreshold = value >= 0.5
        }
        return nil
    }

    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] { [("inputs+excitatory", recorder)] }

    public func views() -> [String: PanelView] {
        let d = weights.cols, n = config.neurons, classes = train.classes
        let from = max(0, step - config.rasterSteps)
        let r = recorder.raster(fromStep: from, toStep: step)
        let raster = RasterView(neuronCount: d + n, fromStep: from, toStep: step, dt: config.dt, steps: r.steps, neurons: r.neurons,
                                groups: [NeuronGroupLabel(name: "input", range: 0..<d), NeuronGroupLabel(name: "E", range: d..<(d + n))])
        let top = max(0.05, weights.storage.max() ?? config.wMax)
        let tile = train.imageShape.map { TileShape(rows: $0.rows, cols: $0.cols) }
        var fraction = [Float](repeating: 0, count: classes * classes)
        for t in 0..<classes {
            let row = (0..<classes).reduce(0) { $0 + confusion[t * classes + $1] }
            guard row > 0 else { continue }
            for p in 0..<classes { fraction[t * classes + p] = Float(confusion[t * classes + p]) / Float(row) }
        }
        let thetaTop = Double(max(1, (layer.theta.max() ?? 0).rounded(.up)))
        return [
            "raster": .raster(raster),
            "fields": .heatmap(HeatmapView(rows: n, cols: d, values: weights.storage, tile: tile, scale: .fixed(0, top))),
            "theta": .histogram(HistogramView(binning: layer.theta, lower: 0, upper: thetaTop, label: "θ (mV)")),
            "confusion": .heatmap(HeatmapView(rows: classes, cols: classes, values: fraction, scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        let j = probeNeuron, d = weights.cols
        var i = 0
        for k in 0..<d where weights[j, k] > weights[j, i] { i = k }
        let x = traces.value(i, at: step), w = weights[j, i]
        return [Factor("neuron j", Double(j)), Factor("strongest input i", Double(i)), Factor("x_i (trace)", Double(x)),
                Factor("w_ij", Double(w)), Factor("Δw_ij at a spike of j", Double(rule.atPost(w: w, xPre: x, wMax: config.wMax))),
                Factor("V_j (mV)", Double(layer.v[j])), Factor("θ_j (mV)", Double(layer.theta[j])),
                Factor("label of j", Double(assignment[j]))]
    }
}
