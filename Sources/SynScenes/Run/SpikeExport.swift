import SynCore
import SynModels

/// The spike trains of a run (`synaptop run --spikes FILE.csv`): drained from a `SpikeSource`
/// simulation between chunks of steps, kept from `fromStep` on, written as CSV with the header
/// `neuron,time_s` (one spike per row, sorted by time then neuron; time = step x dt in seconds),
/// which `numpy.loadtxt(..., delimiter=",", skiprows=1)`, `pandas.read_csv` and Elephant/Neo
/// (via pandas) read as they are.
///
/// Neuron ids number the source's populations one after another (`SpikeSource`).
public struct SpikeExport {
    /// The populations' names and id ranges, in export order.
    public let populations: [(name: String, ids: Range<Int>)]
    /// Spikes at steps before this are dropped (the window option).
    public let fromStep: Int
    /// Seconds per step.
    public let dt: Double
    /// The most spikes kept in memory; more is an error asking for a window.
    public let limit: Int
    var cursors: [Int]
    var steps: [Int32] = []
    var neurons: [Int32] = []
    /// Spikes the recorders overwrote before they were read (0 when drained often enough).
    public private(set) var lost = 0
    /// True when more than `limit` spikes fell in the window (the rest were dropped).
    public private(set) var truncated = false
    /// Spikes drained by the last `drain` (for chunk sizing).
    public private(set) var lastDrained = 0

    /// Nil when `simulation` does not spike (not a `SpikeSource`).
    public init?(_ simulation: any Simulation, fromStep: Int = 0, limit: Int = 20_000_000) {
        guard let source = simulation as? any SpikeSource else { return nil }
        var pops: [(name: String, ids: Range<Int>)] = []
        var next = 0
        for p in source.spikePopulations {
            pops.append((p.name, next..<(next + p.recorder.neuronCount)))
            next += p.recorder.neuronCount
        }
        populations = pops
        cursors = source.spikePopulations.map(\.recorder.sequence)
        self.fromStep = fromStep
        dt = simulation.dt
        self.limit = limit
    }

    /// The smallest ring among the populations: drain at least every this many spikes.
    public static func capacity(_ simulation: any Simulation) -> Int {
        ((simulation as? any SpikeSource)?.spikePopulations.map(\.recorder.capacity).min()) ?? Int.max
    }

    /// Spikes kept so far.
    public var count: Int { steps.count }

    /// Reads every spike recorded since the last drain.
    public mutating func drain(_ simulation: any Simulation) {
        guard let source = simulation as? any SpikeSource else { return }
        lastDrained = 0
        for (k, p) in source.spikePopulations.enumerated() where k < cursors.count {
            let r = p.recorder.spikes(after: cursors[k])
            cursors[k] = p.recorder.sequence
            lost += r.lost
            lastDrained += r.steps.count
            let offset = Int32(populations[k].ids.lowerBound)
            for j in r.steps.indices where Int(r.steps[j]) >= fromStep {
                guard steps.count < limit else {
                    truncated = true
                    break
                }
                steps.append(r.steps[j])
                neurons.append(r.neurons[j] + offset)
            }
        }
    }

    /// The CSV text: header, then one `neuron,time_s` row per spike sorted by (time, neuron).
    public func csv() -> String {
        let order = steps.indices.sorted { (steps[$0], neurons[$0]) < (steps[$1], neurons[$1]) }
        var out = "neuron,time_s\n"
        out.reserveCapacity(16 * steps.count + 16)
        for i in order {
            out += String(neurons[i])
            out += ","
            out += Self.seconds(Int(steps[i]), dt: dt)
            out += "\n"
        }
        return out
    }

    /// step x dt in seconds, rounded to the nanosecond so 3 x 0.1 ms prints as 0.0003.
    static func seconds(_ step: Int, dt: Double) -> String {
        let t = (Double(step) * dt * 1e9).rounded() / 1e9
        return "\(t)"
    }

    /// Writes the CSV atomically (temp file + rename).
    public func write(to path: String) throws(FileIOError) {
        try FileIO.writeAtomically(path, bytes: Array(csv().utf8))
    }

    /// Parses a window: an integer number of steps, or seconds with an `s` or `ms` suffix
    /// ("2s", "500ms"); the number of steps it spans at `dt` (nil when malformed or not > 0).
    public static func windowSteps(_ text: String, dt: Double) -> Int? {
        let t = trim(text)
        if let n = Int(t) { return n > 0 ? n : nil }
        let (number, scale): (String, Double) = t.hasSuffix("ms") ? (String(t.dropLast(2)), 1e-3) : t.hasSuffix("s") ? (String(t.dropLast(1)), 1) : ("", 0)
        guard scale > 0, dt > 0, let x = Double(trim(number)), x.isFinite, x > 0 else { return nil }
        let steps = (x * scale / dt).rounded()
        guard steps >= 1, steps <= 1e12 else { return nil }
        return Int(steps)
    }

    /// `s` without leading and trailing whitespace.
    static func trim(_ s: String) -> String {
        guard let a = s.firstIndex(where: { !$0.isWhitespace }), let b = s.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(s[a...b])
    }
}
