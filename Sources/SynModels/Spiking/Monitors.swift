/// Records spikes with bounded memory: the last `capacity` spikes (step, neuron) in a ring for
/// the raster window, per-neuron counts and inter-spike-interval moments since the last
/// `resetStatistics`, and a ring of per-step population counts for rates and the Fano factor.
public struct SpikeRecorder: Sendable {
    public let neuronCount: Int
    public let capacity: Int
    /// Length of the per-step population count ring (steps).
    public let windowSteps: Int
    var ringSteps: [Int32]
    var ringNeurons: [Int32]
    var head = 0
    var filled = 0
    /// Spikes per neuron since the last statistics reset.
    public private(set) var counts: [Int32]
    var lastSpike: [Int32]
    var isiSum: [Double]
    var isiSumSq: [Double]
    var isiCount: [Int32]
    var stepCounts: [Int32]
    /// Step at which statistics were last reset.
    public private(set) var statisticsStart = 0
    /// Spikes since the statistics reset (all neurons).
    public private(set) var totalSpikes = 0
    /// Last step recorded + 1.
    public private(set) var stepsRecorded = 0
    /// Spikes ever written to the ring (never reset): the sequence number of the next spike.
    public private(set) var sequence = 0

    /// Largest ring capacity accepted (memory guard).
    public static let maxCapacity = 1 << 24

    public init(neuronCount: Int, capacity: Int = 1 << 16, windowSteps: Int = 10_000) {
        precondition(neuronCount >= 0 && capacity > 0 && capacity <= Self.maxCapacity && windowSteps > 0)
        self.neuronCount = neuronCount
        self.capacity = capacity
        self.windowSteps = windowSteps
        ringSteps = [Int32](repeating: 0, count: capacity)
        ringNeurons = [Int32](repeating: 0, count: capacity)
        counts = [Int32](repeating: 0, count: neuronCount)
        lastSpike = [Int32](repeating: -1, count: neuronCount)
        isiSum = [Double](repeating: 0, count: neuronCount)
        isiSumSq = [Double](repeating: 0, count: neuronCount)
        isiCount = [Int32](repeating: 0, count: neuronCount)
        stepCounts = [Int32](repeating: 0, count: windowSteps)
    }

    /// Records the spikes of `step` (indices `spikes[k] - offset` within `0..<neuronCount`).
    @inline(__always)
    public mutating func record(step: Int, spikes: SpikeBuffer, offset: Int32 = 0) {
        var n: Int32 = 0
        let s32 = Int32(truncatingIfNeeded: step)
        for k in 0..<spikes.count {
            let i = Int(spikes[k] - offset)
            guard i >= 0 && i < neuronCount else { continue }
            n += 1
            ringSteps[head] = s32
            ringNeurons[head] = Int32(i)
            head += 1
            if head == capacity { head = 0 }
            counts[i] += 1
            let last = lastSpike[i]
            if last >= 0 {
                let isi = Double(s32 - last)
                isiSum[i] += isi
                isiSumSq[i] += isi * isi
                isiCount[i] += 1
            }
            lastSpike[i] = s32
        }
        filled = min(capacity, filled + Int(n))
        totalSpikes += Int(n)
        sequence += Int(n)
        stepCounts[step % windowSteps] = n
        stepsRecorded = step + 1
    }

    /// Starts new counts and ISI statistics at `step` (the raster ring is kept).
    public mutating func resetStatistics(at step: Int) {
        for i in 0..<neuronCount {
            counts[i] = 0
            lastSpike[i] = -1
            isiSum[i] = 0
            isiSumSq[i] = 0
            isiCount[i] = 0
        }
        totalSpikes = 0
        statisticsStart = step
    }

    /// Mean firing rate (Hz) per neuron since the statistics reset.
    public func meanRateHz(dt: Double) -> Double {
        let steps = stepsRecorded - statisticsStart
        guard steps > 0, neuronCount > 0 else { return 0 }
        return Double(totalSpikes) / (Double(neuronCount) * Double(steps) * dt)
    }

    /// Mean rate (Hz) of neurons `range` since the statistics reset.
    public func meanRateHz(dt: Double, neurons range: Range<Int>) -> Double {
        let steps = stepsRecorded - statisticsStart
        guard steps > 0, !range.isEmpty else { return 0 }
        var s = 0
        for i in range { s += Int(counts[i]) }
        return Double(s) / (Double(range.count) * Double(steps) * dt)
    }

    /// Mean coefficient of variation of inter-spike intervals over neurons with at least
    /// `minIntervals` intervals (0 while no neuron has enough). CV = SD(ISI) / mean(ISI); 1 for
    /// Poisson firing.
    public func cvISI(minIntervals: Int = 3) -> Double {
        var s = 0.0
        var n = 0
        for i in 0..<neuronCount where Int(isiCount[i]) >= minIntervals {
            let c = Double(isiCount[i])
            let m = isiSum[i] / c
            let v = max(0, isiSumSq[i] / c - m * m)
            guard m > 0 else { continue }
            s += v.squareRoot() / m
            n += 1
        }
        return n == 0 ? 0 : s / Double(n)
    }

    /// Population spike count summed over the last `steps` steps (at most `windowSteps`).
    public func recentCount(steps: Int) -> Int {
        let n = min(steps, windowSteps, stepsRecorded)
        var s = 0
        for k in 0..<n { s += Int(stepCounts[(stepsRecorded - 1 - k) % windowSteps]) }
        return s
    }

    /// Population rate (Hz per neuron) over the last `steps` steps.
    public func recentRateHz(steps: Int, dt: Double) -> Double {
        let n = min(steps, windowSteps, stepsRecorded)
        guard n > 0, neuronCount > 0 else { return 0 }
        return Double(recentCount(steps: n)) / (Double(neuronCount) * Double(n) * dt)
    }

    /// Fano factor (variance / mean) of the population spike count in bins of `binSteps` over
    /// the recent window (`windowSteps`): about 1 for independent Poisson neurons, much larger when the
    /// population fires synchronously (a synchrony measure). 0 without spikes.
    public func fanoFactor(binSteps: Int) -> Double {
        let series = populationSeries(binSteps: binSteps)
        guard series.count >= 2 else { return 0 }
        let m = series.reduce(0, +) / Double(series.count)
        guard m > 0 else { return 0 }
        let v = series.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(series.count - 1)
        return v / m
    }

    /// Population spike counts in consecutive bins of `binSteps` over the recent window, oldest
    /// first (only complete bins).
    public func populationSeries(binSteps: Int) -> [Double] {
        let b = max(1, binSteps)
        let n = min(windowSteps, stepsRecorded) / b
        var out = [Double](repeating: 0, count: n)
        let first = stepsRecorded - n * b
        for k in 0..<(n * b) {
            let s = first + k
            out[k / b] += Double(stepCounts[s % windowSteps])
        }
        return out
    }

    /// `populationSeries` as a rate: Hz per neuron in each bin of `binSteps` steps of `dt` s.
    public func populationRateSeries(binSteps: Int, dt: Double) -> [Float] {
        let b = max(1, binSteps)
        let perBin = Double(max(1, neuronCount)) * Double(b) * dt
        return populationSeries(binSteps: b).map { Float($0 / perBin) }
    }

    /// The raster of the last `windowSteps` steps before `step` for an E/I network whose first
    /// `excitatory` neurons are E and the rest I.
    public func excitatoryInhibitoryRaster(step: Int, windowSteps: Int, dt: Double, excitatory: Int) -> RasterView {
        let from = max(0, step - windowSteps)
        let r = raster(fromStep: from, toStep: step)
        return RasterView(neuronCount: neuronCount, fromStep: from, toStep: step, dt: dt, steps: r.steps, neurons: r.neurons,
                          groups: [NeuronGroupLabel(name: "E", range: 0..<excitatory),
                                   NeuronGroupLabel(name: "I", range: excitatory..<neuronCount)])
    }

    /// The spikes with sequence number >= `after` still in the ring, oldest first, and how many
    /// of the requested ones the ring has already overwritten (`lost`). Read again with
    /// `after: sequence` to continue where this read ended.
    public func spikes(after: Int) -> (steps: [Int32], neurons: [Int32], lost: Int) {
        let first = max(after, sequence - filled)
        let lost = max(0, first - after)
        let n = max(0, sequence - first)
        var steps = [Int32](repeating: 0, count: n), neurons = [Int32](repeating: 0, count: n)
        // The newest spike is at head - 1; spike `first` is n slots before head.
        var k = ((head - n) % capacity + capacity) % capacity
        for j in 0..<n {
            steps[j] = ringSteps[k]
            neurons[j] = ringNeurons[k]
            k += 1
            if k == capacity { k = 0 }
        }
        return (steps, neurons, lost)
    }

    /// Spikes with step in `fromStep..<toStep` still in the ring, oldest first.
    public func raster(fromStep: Int, toStep: Int) -> (steps: [Int32], neurons: [Int32]) {
        var steps: [Int32] = []
        var neurons: [Int32] = []
        var k = (head - filled + capacity) % capacity
        for _ in 0..<filled {
            let s = Int(ringSteps[k])
            if s >= fromStep && s < toStep {
                steps.append(ringSteps[k])
                neurons.append(ringNeurons[k])
            }
            k += 1
            if k == capacity { k = 0 }
        }
        return (steps, neurons)
    }
}

/// Samples chosen state values every step into per-series rings of `windowSteps` steps.
public struct StateTrace: Sendable {
    public let names: [String]
    public let windowSteps: Int
    var data: [Float]
    var written = 0

    public init(names: [String], windowSteps: Int) {
        precondition(windowSteps > 0)
        self.names = names
        self.windowSteps = windowSteps
        data = [Float](repeating: 0, count: names.count * windowSteps)
    }

    /// Records one value per series (same order as `names`) via `value(k)`.
    @inline(__always)
    public mutating func record(_ value: (Int) -> Float) {
        let slot = written % windowSteps
        for k in 0..<names.count { data[k * windowSteps + slot] = value(k) }
        written += 1
    }

    /// Sets series k of the current sample (closure-free form for hot loops); `commit()` ends
    /// the sample.
    @inline(__always)
    public mutating func set(_ k: Int, _ value: Float) { data[k * windowSteps + written % windowSteps] = value }

    @inline(__always)
    public mutating func commit() { written += 1 }

    /// The recorded series, oldest first.
    public var series: [[Float]] {
        let n = min(written, windowSteps)
        return (0..<names.count).map { k in
            (0..<n).map { t in data[k * windowSteps + (written - n + t) % windowSteps] }
        }
    }
}
