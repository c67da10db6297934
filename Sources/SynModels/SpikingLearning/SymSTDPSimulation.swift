import SynCore

/// Configuration of the supervised symmetric-STDP digit network (Hao et al. 2020, made small).
/// Times in seconds, potentials in mV.
public struct SymSTDPConfig: Sendable, Equatable {
    /// Hidden excitatory neurons N_E.
    public var neurons = 100
    public var dt = 0.001
    public var tauM = 0.1
    public var restMV: Float = -65
    public var resetMV: Float = -65
    public var thresholdMV: Float = -52
    public var refractory = 0.005
    /// Presentation of one digit (s); V and traces are reset between digits.
    public var presentation = 0.15
    /// Rate of a pixel of value 1 (Hz).
    public var maxRateHz = 250.0
    /// θ increment per E spike (mV).
    public var thetaPlusMV: Float = 0.2
    /// ν of the always-symmetric P → E synapses.
    public var etaHidden: Float = 0.005
    /// Upper weight bounds of P → E and E → C.
    public var wMaxIn: Float = 1
    public var wMaxOut: Float = 8
    /// Initial weights U(0, initMax) on both layers, then scaled.
    public var initMax: Float = 0.3
    /// Target Σ_i w_ji of each E neuron (78.4 · n_in / 784 for 64 inputs).
    public var sumIn: Float = 6.4
    /// Target Σ_j w_kj of each output neuron as a fraction of N_E · w_max,out (0.1 in the paper).
    public var sumOutFraction: Float = 0.1
    /// Teacher rate of the label's output neuron while training (Hz).
    public var teacherHz = 200.0
    /// Output LIF at test time: τ_m, rest, reset, threshold, refractory, mV per unit weight.
    public var outTauM = 0.01
    public var outRestMV: Float = -60
    public var outResetMV: Float = -45
    public var outThresholdMV: Float = -40
    public var outRefractory = 0.002
    public var outGainMV: Float = 14
    public var scaling = true
    public var adaptiveThreshold = true
    /// Hard winner-take-all (the strong-inhibition limit of the E ↔ I loop).
    public var lateralInhibition = true
    public var trainCount = 1200
    public var testCount = 297
    /// Digits presented between evaluations.
    public var evalEvery = 200
    /// Training digits in the running accuracy.
    public var runningWindow = 100
    public var rasterSteps = 1000

    public init() {}

    func steps(_ seconds: Double) -> Int { max(0, Int((seconds / dt).rounded())) }
    public var presentationSteps: Int { max(1, steps(presentation)) }
}

/// The supervised spiking network of Hao et al. (2020) on rate-coded 8x8 digits: Poisson inputs
/// P → hidden LIF layer E (symmetric STDP, synaptic scaling, adaptive threshold, lateral
/// inhibition as a hard winner-take-all) → 10 output neurons C. While training, the output of
/// the digit's class is driven by a Poisson teacher (the others are silent) and E → C learns
/// with the active `SupervisedSTDPRule`; at test time C is a LIF layer driven by E alone and the
/// class is the output that spikes most (ties: the larger summed drive Σ_j w_kj n_j).
///
/// Per step: input spikes (`RateCoder`) add their weights to E and apply the pre term of P → E;
/// `WTALayer` steps; each E spike applies the post term of P → E and the pre term of E → C; the
/// teacher spike applies the post term of E → C. Before each digit (scaling on) every neuron's
/// incoming weights are rescaled to their target sum.
public struct SymSTDPSimulation: Simulation, SpikeSource {
    public let config: SymSTDPConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public let rules: [any SupervisedSTDPRule]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    /// P → E (N_E x inputs, row j = neuron j's receptive field).
    public private(set) var weightsIn: Matrix
    /// E → C (classes x N_E).
    public private(set) var weightsOut: Matrix
    public private(set) var layer: WTALayer
    public private(set) var scaling: Bool
    public private(set) var adaptiveThreshold: Bool
    public private(set) var lateralInhibition: Bool
    public private(set) var testAccuracy = Double.nan
    public private(set) var outputSilentFraction = Double.nan
    public private(set) var selectivity = Double.nan
    public private(set) var samplesSeen = 0
    public private(set) var recorder: SpikeRecorder

    let train: Dataset
    let test: Dataset
    let seed: UInt64
    var coder: RateCoder
    var inputTrace: EventTraces
    var hiddenTrace: EventTraces
    var outputTrace: EventTraces
    var inputRNG: RNG
    var teacherRNG: RNG
    var orderRNG: RNG
    var order: [Int]
    var orderPosition = 0
    var phase = 0
    var label = 0
    var current: [Float]
    var digitCounts: [Int]
    /// E spikes per neuron and class since the last evaluation.
    var classCounts: [Int]
    var inputSpikes = SpikeBuffer(capacity: 64)
    var hiddenSpikes = SpikeBuffer(capacity: 8)
    var outputSpikes = SpikeBuffer(capacity: 2)
    var recentRight: [Bool] = []
    var recentHead = 0
    var spikesSinceMeasure = 0
    var stepsSinceMeasure = 0
    var evaluations = 0

    public init(config: SymSTDPConfig, rules: [any SupervisedSTDPRule], names: [String], start: Int, seed: UInt64,
                data: (train: Dataset, test: Dataset) = Digits.split()) {
        precondition(!rules.isEmpty && rules.count == names.count)
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        self.seed = seed
        train = data.train.slice(0..<min(config.trainCount, data.train.count))
        test = data.test.slice((data.test.count - min(config.testCount, data.test.count))..<data.test.count)
        let n = config.neurons, d = train.features, classes = train.classes
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        weightsIn = Matrix(rows: n, cols: d) { _, _ in initRNG.uniform(0, config.initMax) }
        weightsOut = Matrix(rows: classes, cols: n) { _, _ in initRNG.uniform(0, config.initMax) }
        layer = WTALayer(neurons: n, leak: Float(config.dt / config.tauM), restMV: config.restMV, resetMV: config.resetMV,
                         thresholdMV: config.thresholdMV, refractorySteps: config.steps(config.refractory), thetaPlusMV: config.thetaPlusMV)
        scaling = config.scaling
        adaptiveThreshold = config.adaptiveThreshold
        lateralInhibition = config.lateralInhibition
        coder = RateCoder(inputs: d, maxRateHz: config.maxRateHz, dt: config.dt)
        let tau = rules[activeRule].tau
        inputTrace = EventTraces(count: d, tau: tau, dt: config.dt)
        hiddenTrace = EventTraces(count: n, tau: tau, dt: config.dt)
        outputTrace = EventTraces(count: classes, tau: tau, dt: config.dt)
        inputRNG = root.stream("input")
        teacherRNG = root.stream("teacher")
        orderRNG = root.stream("order")
        order = Array(0..<train.count)
        current = [Float](repeating: 0, count: n)
        digitCounts = [Int](repeating: 0, count: n)
        classCounts = [Int](repeating: 0, count: n * classes)
        recorder = SpikeRecorder(neuronCount: d + n + classes, capacity: 1 << 16, windowSteps: max(10, config.rasterSteps))
    }

    public static let metrics = [
        MetricSpec("test_acc", "test digits classified right by the output LIF layer driven by E (last evaluation; NaN before the first)",
                   mayBeUndefined: true),
        MetricSpec("running_acc", "training digits whose E → C drive Σ_j w_kj n_j peaks at the label, over the last 100 (NaN before the first)",
                   mayBeUndefined: true),
        MetricSpec("selectivity", "E neurons (of those that fired) whose strongest E → C weight goes to the class they fired most for (last evaluation window; NaN before the first)",
                   mayBeUndefined: true),
        MetricSpec("output_silent", "test digits on which no output neuron spiked (classified by drive; last evaluation; NaN before the first)",
                   mayBeUndefined: true),
        MetricSpec("rate_e_hz", unit: "Hz", "mean rate of the hidden E neurons while training, since the last row"),
        MetricSpec("theta_mean_mv", unit: "mV", "mean adaptive threshold shift θ of E"),
    ]
    public static let views = [
        ViewSpec("raster", "input (64), hidden E and output (10) spikes of the last digits (the output is the teacher while training)"),
        ViewSpec("fields", "each hidden neuron's P → E weights as an 8x8 tile (receptive fields)"),
        ViewSpec("readout", "E → C weights: 10 classes (rows) x hidden neurons (columns, grouped by their strongest class)"),
        ViewSpec("theta", "histogram of the adaptive threshold shifts θ (mV)"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var bigStep: StepUnit { StepUnit(name: "digit", steps: config.presentationSteps) }
    public var rule: any SupervisedSTDPRule { rules[activeRule] }

    public var ruleEquation: String {
        rule.equation + "; P → E symmetric (ν = \(config.etaHidden)); synaptic scaling " + (scaling ? "on" : "off")
            + ", adaptive threshold " + (adaptiveThreshold ? "on" : "off") + ", lateral inhibition " + (lateralInhibition ? "on" : "off")
            + "; teacher \(config.teacherHz) Hz on the label's output"
    }

    // MARK: stepping

    public mutating func advance(_ steps: Int) {
        let n = config.neurons, d = train.features, present = config.presentationSteps
        let r = rule, a = r.traceIncrement, nuIn = config.etaHidden, nuOut = r.eta, sign = r.preSign
        let wMaxIn = config.wMaxIn, wMaxOut = config.wMaxOut
        let teacherP = Float(config.teacherHz * config.dt)
        for _ in 0..<max(0, steps) {
            if phase == 0 { beginDigit() }
            let s = step
            inputSpikes.removeAll()
            coder.emit(rng: &inputRNG, into: &inputSpikes)
            for j in 0..<n { current[j] = 0 }
            // Input spikes: drive E, then the pre term of P → E (w_ji += ν x_post,j), then x_pre,i += a.
            for k in 0..<inputSpikes.count {
                let i = Int(inputSpikes[k])
                for j in 0..<n {
                    let w = weightsIn[j, i]
                    current[j] += w
                    let x = hiddenTrace.value(j, at: s)
                    if x > 0 { weightsIn[j, i] = min(wMaxIn, w + nuIn * x) }
                }
                inputTrace.add(i, a, at: s)
            }
            hiddenSpikes.removeAll()
            layer.step(current: current, wta: lateralInhibition, adaptive: adaptiveThreshold, spikes: &hiddenSpikes)
            for k in 0..<hiddenSpikes.count {
                let j = Int(hiddenSpikes[k])
                digitCounts[j] += 1
                // Post term of P → E: w_ji += ν x_pre,i.
                weightsIn.withMutableRow(j) { w in
                    for i in 0..<d { w[i] = min(wMaxIn, w[i] + nuIn * inputTrace.value(i, at: s)) }
                }
                // Pre term of E → C: w_kj += s ν x_post,k.
                for c in 0..<weightsOut.rows {
                    let x = outputTrace.value(c, at: s)
                    if x > 0 { weightsOut[c, j] = min(wMaxOut, max(0, weightsOut[c, j] + sign * nuOut * x)) }
                }
                hiddenTrace.add(j, a, at: s)
            }
            // The teacher: the label's output fires as a Poisson train; post term of E → C.
            outputSpikes.removeAll()
            if teacherRNG.uniform() < teacherP {
                outputSpikes.append(Int32(label))
                weightsOut.withMutableRow(label) { w in
                    for j in 0..<n { w[j] = min(wMaxOut, max(0, w[j] + nuOut * hiddenTrace.value(j, at: s))) }
                }
                outputTrace.add(label, a, at: s)
            }
            recorder.record(step: s, spikes: inputSpikes)
            recorder.record(step: s, spikes: hiddenSpikes, offset: -Int32(d))
            recorder.record(step: s, spikes: outputSpikes, offset: -Int32(d + n))
            spikesSinceMeasure += hiddenSpikes.count
            stepsSinceMeasure += 1
            step += 1
            phase += 1
            if phase == present { endDigit() }
        }
    }

    mutating func beginDigit() {
        if orderPosition == 0 { orderRNG.shuffle(&order) }
        let index = order[orderPosition]
        orderPosition = (orderPosition + 1) % order.count
        coder.load(train.sample(index))
        label = train.labels[index]
        if scaling {
            Self.scaleRows(&weightsIn, to: config.sumIn)
            Self.scaleRows(&weightsOut, to: config.sumOutFraction * Float(config.neurons) * config.wMaxOut, cap: config.wMaxOut)
        }
        layer.rest()
        inputTrace.reset()
        hiddenTrace.reset()
        outputTrace.reset()
        for j in 0..<digitCounts.count { digitCounts[j] = 0 }
    }

    mutating func endDigit() {
        phase = 0
        samplesSeen += 1
        let classes = train.classes
        for (j, k) in digitCounts.enumerated() { classCounts[j * classes + label] += k }
        let right = digitCounts.contains { $0 > 0 } && Self.strongest(drive: drive(digitCounts)) == label
        if recentRight.count < config.runningWindow {
            recentRight.append(right)
        } else {
            recentRight[recentHead] = right
            recentHead = (recentHead + 1) % config.runningWindow
        }
        if samplesSeen % config.evalEvery == 0 { evaluate() }
    }

    /// Scales each row to sum `target` (rows summing to 0 are left alone); with `cap`, weights
    /// are clipped to it afterwards.
    public static func scaleRows(_ w: inout Matrix, to target: Float, cap: Float = .infinity) {
        let d = w.cols
        for r in 0..<w.rows {
            w.withMutableRow(r) { row in
                var s: Float = 0
                for i in 0..<d { s += row[i] }
                guard s > 0 else { return }
                let k = target / s
                for i in 0..<d { row[i] = min(cap, row[i] * k) }
            }
        }
    }

    /// Σ_j w_kj n_j for each output k.
    func drive(_ counts: [Int]) -> [Float] {
        (0..<weightsOut.rows).map { c in
            var s: Float = 0
            for (j, k) in counts.enumerated() where k > 0 { s += weightsOut[c, j] * Float(k) }
            return s
        }
    }

    /// Index of the largest value (the first on ties).
    public static func strongest(drive: [Float]) -> Int {
        var best = 0
        for (c, v) in drive.enumerated() where v > drive[best] { best = c }
        return best
    }

    // MARK: evaluation

    /// Output spike counts and summed drive for one test digit, plasticity off, on copies.
    func respond(_ pixels: ArraySlice<Float>, rng: inout RNG) -> (spikes: [Int], drive: [Float]) {
        var layer = self.layer
        layer.rest()
        var coder = self.coder
        coder.load(pixels)
        let n = config.neurons, classes = weightsOut.rows
        var v = [Float](repeating: config.outRestMV, count: classes)
        var refractory = [Int](repeating: 0, count: classes)
        var spikes = [Int](repeating: 0, count: classes), drive = [Float](repeating: 0, count: classes)
        var input = SpikeBuffer(capacity: 64), hidden = SpikeBuffer(capacity: 8)
        var current = [Float](repeating: 0, count: n)
        let leak = Float(config.dt / config.outTauM), refractorySteps = config.steps(config.outRefractory)
        for _ in 0..<config.presentationSteps {
            input.removeAll()
            coder.emit(rng: &rng, into: &input)
            for j in 0..<n { current[j] = 0 }
            for k in 0..<input.count {
                let i = Int(input[k])
                for j in 0..<n { current[j] += weightsIn[j, i] }
            }
            hidden.removeAll()
            layer.step(current: current, wta: lateralInhibition, adaptive: adaptiveThreshold, spikes: &hidden)
            for c in 0..<classes {
                var input: Float = 0
                for k in 0..<hidden.count { input += weightsOut[c, Int(hidden[k])] }
                drive[c] += input
                if refractory[c] > 0 {
                    refractory[c] -= 1
                    continue
                }
                v[c] += leak * (config.outRestMV - v[c]) + config.outGainMV * input
                if v[c] >= config.outThresholdMV {
                    v[c] = config.outResetMV
                    refractory[c] = refractorySteps
                    spikes[c] += 1
                }
            }
        }
        return (spikes, drive)
    }

    /// Classifies the test digits; computes the selectivity of the E → C weights.
    public mutating func evaluate() {
        var rng = RNG(seed: seed).stream("eval").stream(evaluations)
        evaluations += 1
        var right = 0, silent = 0
        for s in 0..<test.count {
            let r = respond(test.sample(s), rng: &rng)
            let most = r.spikes.max() ?? 0
            if most == 0 { silent += 1 }
            // Most output spikes; ties (and silence) by the summed drive.
            let score = zip(r.spikes, r.drive).map { Float($0) * 1e6 + $1 }
            if Self.strongest(drive: score) == test.labels[s] { right += 1 }
        }
        testAccuracy = test.count > 0 ? Double(right) / Double(test.count) : .nan
        outputSilentFraction = test.count > 0 ? Double(silent) / Double(test.count) : .nan
        let classes = train.classes
        var fired = 0, agree = 0
        for j in 0..<config.neurons {
            let counts = classCounts[(j * classes)..<((j + 1) * classes)]
            guard let top = counts.max(), top > 0, let favourite = counts.firstIndex(of: top) else { continue }
            fired += 1
            let column = (0..<classes).map { weightsOut[$0, j] }
            if Self.strongest(drive: column) == favourite - j * classes { agree += 1 }
        }
        selectivity = fired > 0 ? Double(agree) / Double(fired) : .nan
        for k in 0..<classCounts.count { classCounts[k] = 0 }
    }

    // MARK: Simulation

    public mutating func measure() -> [Double] {
        let rate = stepsSinceMeasure > 0
            ? Double(spikesSinceMeasure) / (Double(stepsSinceMeasure) * config.dt * Double(config.neurons)) : 0
        spikesSinceMeasure = 0
        stepsSinceMeasure = 0
        let running = recentRight.isEmpty ? Double.nan : Double(recentRight.filter { $0 }.count) / Double(recentRight.count)
        let thetaMean = layer.theta.reduce(0, +) / Float(max(1, layer.count))
        return [testAccuracy, running, selectivity, outputSilentFraction, rate, Double(thetaMean)]
    }

    /// Keeps every weight and θ; the traces restart (zero) with the new rule's τ.
    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
        let tau = rule.tau
        inputTrace = EventTraces(count: inputTrace.count, tau: tau, dt: config.dt)
        hiddenTrace = EventTraces(count: hiddenTrace.count, tau: tau, dt: config.dt)
        outputTrace = EventTraces(count: outputTrace.count, tau: tau, dt: config.dt)
    }

    public var controls: [Control] {
        [Control(name: "scaling", value: scaling ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"]),
         Control(name: "adaptive_threshold", value: adaptiveThreshold ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"]),
         Control(name: "lateral_inhibition", value: lateralInhibition ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"])]
    }

    enum ControlName: String {
        case scaling
        case adaptiveThreshold = "adaptive_threshold"
        case lateralInhibition = "lateral_inhibition"
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        guard let control = ControlName(rawValue: name) else { return "unknown control '\(name)'" }
        switch control {
        case .scaling: scaling = value >= 0.5
        case .adaptiveThreshold: adaptiveThreshold = value >= 0.5
        case .lateralInhibition: lateralInhibition = value >= 0.5
        }
        return nil
    }

    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] { [("inputs+E+C", recorder)] }

    /// Hidden neurons ordered by their strongest output class (then by index).
    var readoutOrder: [Int] {
        let classes = weightsOut.rows
        let best = (0..<config.neurons).map { j in Self.strongest(drive: (0..<classes).map { weightsOut[$0, j] }) }
        return (0..<config.neurons).sorted { (best[$0], $0) < (best[$1], $1) }
    }

    public func views() -> [String: PanelView] {
        let d = weightsIn.cols, n = config.neurons, classes = weightsOut.rows
        let from = max(0, step - config.rasterSteps)
        let r = recorder.raster(fromStep: from, toStep: step)
        let raster = RasterView(neuronCount: d + n + classes, fromStep: from, toStep: step, dt: config.dt, steps: r.steps, neurons: r.neurons,
                                groups: [NeuronGroupLabel(name: "P", range: 0..<d), NeuronGroupLabel(name: "E", range: d..<(d + n)),
                                         NeuronGroupLabel(name: "C", range: (d + n)..<(d + n + classes))])
        let top = max(0.05, weightsIn.storage.max() ?? config.wMaxIn)
        let tile = train.imageShape.map { TileShape(rows: $0.rows, cols: $0.cols) }
        let order = readoutOrder
        var readout = [Float](repeating: 0, count: classes * n)
        for c in 0..<classes { for (col, j) in order.enumerated() { readout[c * n + col] = weightsOut[c, j] } }
        let outTop = max(0.05, weightsOut.storage.max() ?? config.wMaxOut)
        let thetaTop = Double(max(1, (layer.theta.max() ?? 0).rounded(.up)))
        return [
            "raster": .raster(raster),
            "fields": .heatmap(HeatmapView(rows: n, cols: d, values: weightsIn.storage, tile: tile, scale: .fixed(0, top))),
            "readout": .heatmap(HeatmapView(rows: classes, cols: n, values: readout, scale: .fixed(0, outTop))),
            "theta": .histogram(HistogramView(binning: layer.theta, lower: 0, upper: thetaTop, label: "θ (mV)")),
        ]
    }

    public func probe() -> [Factor] {
        let c = label, n = config.neurons
        var j = 0
        for k in 0..<n where weightsOut[c, k] > weightsOut[c, j] { j = k }
        let xPre = hiddenTrace.value(j, at: step), xPost = outputTrace.value(c, at: step), w = weightsOut[c, j]
        return [Factor("label k", Double(c)), Factor("strongest E neuron j", Double(j)), Factor("w_kj", Double(w)),
                Factor("x_pre,j", Double(xPre)), Factor("x_post,k", Double(xPost)),
                Factor("Δw at a pre spike", Double(rule.preSign * rule.eta * xPost)),
                Factor("Δw at a post spike", Double(rule.eta * xPre)), Factor("θ_j (mV)", Double(layer.theta[j]))]
    }
}
