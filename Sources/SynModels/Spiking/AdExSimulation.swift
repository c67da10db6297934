/// The rule family of the single AdEx neuron: it has no synapses, so only `none`.
public enum AdExRules {
    public static let registry = RuleRegistry<NoPlasticity>(
        family: "adex", summary: "a single AdEx neuron has no synapses: no plasticity (model = \"adex\")", [
            .init(NoPlasticity.self) { $0 },
        ])
}

/// Configuration of the AdEx firing-pattern experiment: one neuron, a step current repeated in
/// trials. Each trial starts at rest (V = E_L, w = 0), holds I = 0 for `onsetMs`, injects the
/// step current for `durationMs`, then I = 0 for `tailMs`.
public struct AdExConfig: Sendable, Equatable {
    /// The starting pattern (Naud et al. 2008, Table 1).
    public var pattern: AdExPattern = .tonic
    /// Where a spike is cut off (mV).
    public var peakMV: Double = 0
    /// Step (s); the default 0.05 ms leaves every pattern's rate within 1 % of dt = 0.01 ms.
    public var dt: Double = 0.05e-3
    public var onsetMs: Double = 50
    public var durationMs: Double = 500
    public var tailMs: Double = 50
    /// Trace resolution (ms): the membrane trace keeps the largest V of each bin, so no spike
    /// peak is lost.
    public var sampleMs: Double = 0.5

    public init() {}

    public var dtMs: Double { dt * 1000 }
    func steps(_ ms: Double) -> Int { max(0, Int((ms / dtMs).rounded())) }
    public var onsetSteps: Int { steps(onsetMs) }
    public var durationSteps: Int { max(1, steps(durationMs)) }
    public var trialSteps: Int { onsetSteps + durationSteps + steps(tailMs) }
    public var sampleEvery: Int { max(1, steps(sampleMs)) }
}

/// One AdEx neuron (Brette & Gerstner 2005; `AdExNeuron`) driven by a step current, cycling
/// through the firing patterns of Naud et al. (2008) with a live control.
///
/// Schedule of step t: the input is the step current when t (counted from the trial start) is
/// inside the step window, else 0; Heun step of (V, w); spike when V reaches V_peak, then
/// V <- V_r, w <- w + b; monitors. A new trial (every `trialSteps`) starts at rest. Changing the
/// pattern restarts the trial at once with the new pattern's parameters and current.
///
/// Metrics describe the spikes inside the step window of the last complete trial (of the
/// current one while none is complete since the last pattern change).
public struct AdExSimulation: Simulation, SpikeSource {
    public let config: AdExConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public private(set) var neuron: AdExNeuron
    public private(set) var pattern: AdExPattern
    /// Amplitude of the step current (pA); starts at the pattern's table value.
    public private(set) var currentPA: Double
    /// The current injected in the last step (pA).
    public private(set) var inputPA: Double = 0
    public private(set) var trialStart = 0
    /// Spike steps (from the trial start) of the current trial and of the last complete one.
    public private(set) var trialSpikes: [Int] = []
    public private(set) var lastTrialSpikes: [Int]?
    public private(set) var recorder: SpikeRecorder
    /// Per sample bin: largest V (mV, the peak in a bin with a spike), w (pA), I (pA), and V at
    /// the bin's end for the phase plane (NaN in a bin with a spike: the reset breaks the path).
    var traces: StateTrace
    var binMaxV = -Double.infinity
    var binSpiked = false
    var binCount = 0
    var spikes = SpikeBuffer(capacity: 1)

    public init(config: AdExConfig) {
        self.config = config
        pattern = config.pattern
        var p = config.pattern.parameters
        p.peakMV = config.peakMV
        neuron = AdExNeuron(p)
        currentPA = config.pattern.currentPA
        let window = max(2, (config.trialSteps + config.sampleEvery - 1) / config.sampleEvery)
        traces = StateTrace(names: ["V", "w", "I", "V end"], windowSteps: window)
        recorder = SpikeRecorder(neuronCount: 1, capacity: 1 << 12, windowSteps: max(10, config.trialSteps))
    }

    public static let metrics = [
        MetricSpec("rate_hz", unit: "Hz", "spikes during the step current / its duration (last complete trial)"),
        MetricSpec("first_spike_ms", unit: "ms", "latency of the first spike after the step onset (the step's length when it does not fire)"),
        MetricSpec("adaptation_index", "Naud et al. (2008): mean of (ISI_n+1 − ISI_n)/(ISI_n+1 + ISI_n); > 0 slowing, < 0 accelerating"),
        MetricSpec("isi_cv", "SD/mean of the inter-spike intervals in the second half of the step (0 regular; large for bursts or irregular firing)"),
    ]
    public static let views = [
        ViewSpec("membrane", "V (mV) over the last trial; spikes drawn to V_peak"),
        ViewSpec("currents", "adaptation current w and injected current I (pA) over the last trial"),
        ViewSpec("phase_plane", "(V, w) path of the last trial with the V-nullcline (V' = dV/dt = 0 at the present I), the w-nullcline (w' = 0) and the present state"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }

    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { [NoPlasticity.name] }
    public var activeRule: Int { 0 }
    public var bigStep: StepUnit { StepUnit(name: "trial", steps: config.trialSteps) }

    public var ruleEquation: String {
        let p = neuron.parameters
        func f(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(x) }
        return "AdEx, no plasticity: C dV/dt = -gL (V - EL) + gL ΔT exp((V - VT)/ΔT) - w + I; "
            + "τw dw/dt = a (V - EL) - w; V ≥ Vpeak: V = Vr, w += b. Pattern \(pattern.name): C = \(f(p.capacitancePF)) pF, "
            + "gL = \(f(p.leakNS)) nS, EL = \(f(p.leakReversalMV)) mV, VT = \(f(p.thresholdMV)) mV, ΔT = \(f(p.slopeMV)) mV, "
            + "a = \(f(p.adaptationNS)) nS, τw = \(f(p.tauWMs)) ms, b = \(f(p.spikeIncrementPA)) pA, Vr = \(f(p.resetMV)) mV, "
            + "Vpeak = \(f(p.peakMV)) mV, I = \(f(currentPA)) pA"
    }

    public mutating func advance(_ steps: Int) {
        let c = config
        let onset = c.onsetSteps, offset = c.onsetSteps + c.durationSteps, trial = c.trialSteps
        let dtMs = c.dtMs, every = c.sampleEvery, peak = neuron.parameters.peakMV
        for _ in 0..<max(0, steps) {
            if step - trialStart >= trial {
                lastTrialSpikes = trialSpikes
                trialSpikes = []
                trialStart = step
                neuron.rest()
            }
            let t = step - trialStart
            inputPA = t >= onset && t < offset ? currentPA : 0
            let spiked = neuron.step(current: inputPA, dtMs: dtMs)
            spikes.removeAll()
            if spiked {
                trialSpikes.append(t)
                spikes.append(0)
            }
            recorder.record(step: step, spikes: spikes)
            binMaxV = max(binMaxV, spiked ? peak : neuron.v)
            binSpiked = binSpiked || spiked
            binCount += 1
            if binCount == every {
                traces.set(0, Float(binMaxV))
                traces.set(1, Float(neuron.w))
                traces.set(2, Float(inputPA))
                traces.set(3, binSpiked ? .nan : Float(neuron.v))
                traces.commit()
                binMaxV = -.infinity
                binSpiked = false
                binCount = 0
            }
            step += 1
        }
    }

    /// Spike times (ms from the step onset) inside the step window of `spikeSteps`, and how
    /// much of the step window they cover (ms).
    func stepWindow(_ spikeSteps: [Int], complete: Bool) -> (times: [Double], coveredMs: Double) {
        let c = config
        let onset = c.onsetSteps, offset = c.onsetSteps + c.durationSteps
        let times = spikeSteps.filter { $0 >= onset && $0 < offset }.map { Double($0 - onset) * c.dtMs }
        let covered = complete ? Double(c.durationSteps) : Double(min(max(0, step - trialStart - onset), c.durationSteps))
        return (times, covered * c.dtMs)
    }

    public mutating func measure() -> [Double] {
        let (times, covered) = lastTrialSpikes.map { stepWindow($0, complete: true) } ?? stepWindow(trialSpikes, complete: false)
        let rate = covered > 0 ? Double(times.count) / (covered / 1000) : 0
        let isi = SpikeTrainStats.intervals(times)
        let half = Double(config.durationSteps) * config.dtMs / 2
        let late = SpikeTrainStats.intervals(times.filter { $0 >= half })
        return [rate, times.first ?? covered, SpikeTrainStats.adaptationIndex(isi), SpikeTrainStats.cv(late)]
    }

    public mutating func selectRule(_ index: Int) {}

    /// Live controls: the pattern (restarts the trial with the table's parameters and current)
    /// and the step current's amplitude.
    public var controls: [Control] {
        [Control(name: "pattern", value: Double(pattern.rawValue), range: 0...Double(AdExPattern.allCases.count - 1), step: 1,
                 labels: AdExPattern.names),
         Control(name: "current_pa", value: currentPA, range: 0...1000, step: 10)]
    }

    /// The live controls' names.
    enum ControlName: String {
        case pattern
        case currentPA = "current_pa"
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        guard let control = ControlName(rawValue: name) else { return "unknown control '\(name)'" }
        switch control {
        case .pattern:
            guard let p = AdExPattern(rawValue: Int(value.rounded())) else { return "pattern: no pattern \(value)" }
            select(p)
        case .currentPA:
            currentPA = value
        }
        return nil
    }

    /// Switches to pattern `p`: its parameters and current, a fresh trial from rest.
    public mutating func select(_ p: AdExPattern) {
        pattern = p
        var params = p.parameters
        params.peakMV = config.peakMV
        neuron = AdExNeuron(params)
        currentPA = p.currentPA
        trialStart = step
        trialSpikes = []
        lastTrialSpikes = nil
    }

    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] { [("neuron", recorder)] }

    public func views() -> [String: PanelView] {
        let s = traces.series
        var out: [String: PanelView] = [:]
        // Time axis: ms relative to now (the newest sample at 0).
        let ms = Float(Double(config.sampleEvery) * config.dtMs)
        let t = s[0].indices.map { Float($0 - (s[0].count - 1)) * ms }
        out["membrane"] = .traces(TracesView(names: ["V"], series: [s[0]], unit: "mV", xs: [t], xLabel: "ms"))
        out["currents"] = .traces(TracesView(names: ["w", "I"], series: [s[1], s[2]], unit: "pA", xs: [t, t], xLabel: "ms"))
        out["phase_plane"] = .traces(phasePlane(vEnd: s[3], w: s[1]))
        return out
    }

    /// The phase plane: V from min(E_L, V_r) - 5 mV to V_T + 4 Δ_T (the path is clipped at the
    /// right edge), w over the path and the V-nullcline's minimum (at V = V_T), padded; the
    /// nullclines are drawn where they fall inside that window. `now` marks (V, w) with a cross.
    func phasePlane(vEnd: [Float], w: [Float]) -> TracesView {
        let p = neuron.parameters
        let vLo = min(p.leakReversalMV, p.resetMV) - 5, vHi = p.thresholdMV + 4 * p.slopeMV
        let nullMin = p.vNullcline(p.thresholdMV, current: inputPA)
        var lo = min(0, nullMin, neuron.w), hi = max(0, nullMin, neuron.w)
        for (v, x) in zip(vEnd, w) where v.isFinite && x.isFinite {
            lo = min(lo, Double(x))
            hi = max(hi, Double(x))
        }
        let pad = max(10, 0.15 * (hi - lo))
        lo -= pad
        hi += pad
        func inWindow(_ x: Double) -> Float { x >= lo && x <= hi ? Float(x) : .nan }
        let n = 120
        let grid = (0..<n).map { vLo + (vHi - vLo) * Double($0) / Double(n - 1) }
        let vNull = grid.map { inWindow(p.vNullcline($0, current: inputPA)) }
        let wNull = grid.map { inWindow(p.wNullcline($0)) }
        let path = vEnd.map { $0.isFinite ? min($0, Float(vHi)) : $0 }
        let v = min(neuron.v, vHi), dv = 0.02 * (vHi - vLo), dw = 0.04 * (hi - lo)
        let crossV = [v - dv, v + dv, .nan, v, v].map(Float.init)
        let crossW = [neuron.w, neuron.w, .nan, neuron.w - dw, neuron.w + dw].map(Float.init)
        let gridF = grid.map(Float.init)
        return TracesView(names: ["V'=0", "w'=0", "path", "now"], series: [vNull, wNull, w, crossW], unit: "w pA",
                          xs: [gridF, gridF, path, crossV], xLabel: "V mV")
    }

    public func probe() -> [Factor] {
        let p = neuron.parameters
        return [Factor("V (mV)", neuron.v), Factor("w (pA)", neuron.w), Factor("I (pA)", inputPA),
                Factor("dV/dt (mV/ms)", p.dV(neuron.v, neuron.w, current: inputPA)),
                Factor("dw/dt (pA/ms)", p.dW(neuron.v, neuron.w)),
                Factor("spikes this trial", Double(trialSpikes.count))]
    }
}
