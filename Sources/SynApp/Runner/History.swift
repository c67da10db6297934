import SynCore
import SynModels
import SynScenes

/// The simulation thread's memory of the past, for rewinding: periodic copies of the whole
/// session (a simulation is a value, so a copy is the complete state: weights, neuron state,
/// traces, optimiser moments, RNG streams, task cursor) with the metric history at that step,
/// kept in a ring bounded in bytes. Copies share unchanged arrays (copy-on-write), so the
/// bytes counted are those of the distinct array buffers the ring holds (`StateFootprint`).
///
/// Rewinding to step `t` restores the newest copy at or before `t` and re-simulates forward;
/// determinism makes that exact.
struct RewindHistory {
    /// One saved point of the run.
    struct Point {
        var session: SceneSession
        var history: MetricHistory
        var buffers: [UInt: Int]
        var step: Int { session.step }
    }

    /// Memory budget for all points, in bytes.
    let budget: Int
    /// Saved points, oldest first, steps increasing.
    private(set) var points: [Point] = []
    /// Distinct buffers held by the points: address -> (bytes, number of points holding it).
    private var held: [UInt: (bytes: Int, count: Int)] = [:]
    /// Bytes of the distinct buffers held.
    private(set) var bytes = 0
    /// Bytes the points cost beyond the live run: the distinct buffers held, minus those every
    /// point shares (data sets, fixed connectivity: never copied, also held by the live run).
    private(set) var costBytes = 0
    /// Steps between points (chosen from the measured step time and state size).
    private(set) var interval = 64
    /// Step at which the next point is due.
    private(set) var nextStep = 0
    /// Bytes the last point added (its buffers not shared with the previous point).
    private(set) var lastAddedBytes = 0

    /// Re-simulation after a restore should take about this long at most.
    static let targetLatency = 0.02
    /// Largest share of the stepping time that taking points may cost.
    static let overheadShare = 0.05
    /// Copying speed assumed for the copy-on-write copies a point causes (bytes/s).
    static let copyBytesPerSecond = 2e9

    /// A fixed interval instead of the chosen one (tests).
    let fixedInterval: Int?

    init(budgetBytes: Int, fixedInterval: Int? = nil) {
        budget = max(0, budgetBytes)
        self.fixedInterval = fixedInterval.map { max(1, $0) }
    }

    /// True when rewinding is enabled (a budget above zero).
    var enabled: Bool { budget > 0 }

    /// Steps one can go back from `step`: to the oldest point.
    func depth(at step: Int) -> Int {
        guard let first = points.first else { return 0 }
        return max(0, step - first.step)
    }

    /// The oldest step one can rewind to.
    var oldestStep: Int? { points.first?.step }

    /// Saves the session as a point when due (or `force`d), evicting the oldest points beyond
    /// the budget, and chooses the next interval from `secondsPerStep` and the state size.
    mutating func record(_ session: SceneSession, history: MetricHistory, secondsPerStep: Double, force: Bool = false) {
        guard enabled, force || session.step >= nextStep else { return }
        if let last = points.last, last.step == session.step { return }
        let footprint = StateFootprint(of: (session, history))
        var added = 0
        for (address, b) in footprint.buffers {
            if let h = held[address] {
                held[address] = (h.bytes, h.count + 1)
            } else {
                held[address] = (b, 1)
                added += b
            }
        }
        bytes += added
        lastAddedBytes = added
        points.append(Point(session: session, history: history, buffers: footprint.buffers))
        updateCost()
        while points.count > 1 && costBytes > budget {
            evictOldest()
            updateCost()
        }
        // Interval: short enough that a restore re-simulates in about `targetLatency`, long
        // enough that the copies a point causes stay a small share of the stepping time.
        let sps = max(secondsPerStep, 1e-9)
        let latencySteps = Self.targetLatency / sps
        let copySteps = Double(added) / Self.copyBytesPerSecond / (Self.overheadShare * sps)
        interval = fixedInterval ?? max(1, Int(min(max(latencySteps, copySteps), 1e9)))
        nextStep = session.step + interval
    }

    private mutating func updateCost() {
        let n = points.count
        costBytes = bytes - held.values.reduce(0) { $0 + ($1.count == n ? $1.bytes : 0) }
    }

    private mutating func evictOldest() {
        let p = points.removeFirst()
        release(p)
    }

    private mutating func release(_ p: Point) {
        for address in p.buffers.keys {
            guard let h = held[address] else { continue }
            if h.count <= 1 {
                held[address] = nil
                bytes -= h.bytes
            } else {
                held[address] = (h.bytes, h.count - 1)
            }
        }
    }

    /// The newest point at or before `step`.
    func point(atOrBefore step: Int) -> Point? {
        points.last { $0.step <= step }
    }

    /// Forgets the points after `step` (a rewind or a fork made them another timeline's).
    mutating func drop(after step: Int) {
        while let last = points.last, last.step > step {
            points.removeLast()
            release(last)
        }
        updateCost()
        nextStep = (points.last?.step ?? 0) + interval
    }

    /// Forgets everything (a reset).
    mutating func clear() {
        points = []
        held = [:]
        bytes = 0
        costBytes = 0
        nextStep = 0
    }
}
