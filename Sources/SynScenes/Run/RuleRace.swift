import Dispatch
import SynModels

/// K copies of one scene from the same seed (the same initial weights and the same input
/// stream), one rule each, stepped in lockstep: the fair comparison of learning rules. Each
/// copy is built exactly as a plain run is, then switched to its rule at step 0 (a switch
/// keeps the weights), so lane k's rows equal `synaptop run SCENE --rule k` whenever the rule
/// does not change what the model draws at construction (tested).
public struct RuleRace {
    /// One copy: its rule and the rows it measured (step 0 included).
    public struct Lane: Sendable {
        public var rule: String
        public var rows: [MetricRow]
    }

    public let spec: SceneSpec
    public private(set) var lanes: [Lane]
    private var sessions: [SceneSession]

    /// Builds one copy per rule; an unknown rule is a one-line error naming the valid ones.
    public init(spec: SceneSpec, seed: UInt64? = nil, rules: [String]) throws(SceneError) {
        self.spec = spec
        guard !rules.isEmpty else { throw SceneError(file: spec.file, key: nil, message: "--rules: expected at least one rule") }
        var sessions: [SceneSession] = []
        var lanes: [Lane] = []
        for rule in rules {
            var s = try SceneSession(spec: spec, seed: seed)
            guard s.selectRule(named: rule) else {
                throw SceneError(file: spec.file, key: nil,
                                 message: "--rules: unknown rule \"\(rule)\" (one of: \(s.sim.ruleNames.joined(separator: ", ")))")
            }
            lanes.append(Lane(rule: rule, rows: [s.measureRow()]))
            sessions.append(s)
        }
        self.sessions = sessions
        self.lanes = lanes
    }

    /// Steps taken by every copy.
    public var step: Int { sessions.first?.step ?? 0 }

    /// The metric names (the same for every copy).
    public var metricNames: [String] { sessions.first?.metricNames ?? [] }

    /// Advances every copy by `steps`, copies on up to `threads` threads at once (each copy is
    /// owned by one thread for the call; the result does not depend on `threads`).
    public mutating func advance(_ steps: Int, threads: Int) {
        let box = Box(sessions)
        let n = sessions.count
        let workers = max(1, min(threads, n))
        if workers == 1 {
            for i in 0..<n { box.rows[i] = box.sessions[i].advance(steps) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                // Worker w steps copies w, w + workers, ...: disjoint, so no copy is shared.
                for i in stride(from: w, to: n, by: workers) { box.rows[i] = box.sessions[i].advance(steps) }
            }
        }
        sessions = box.finish()
        for i in 0..<n { lanes[i].rows += box.rows[i] }
    }

    /// True when some copy's metrics stopped being finite.
    public var diverged: [String] {
        zip(lanes, sessions).compactMap { lane, session in session.divergence == nil ? nil : lane.rule }
    }

    /// The copies handed to worker threads, each element touched by exactly one of them.
    /// (Raw buffers, not arrays: elements are written from several threads at once.)
    private final class Box: @unchecked Sendable {
        let sessions: UnsafeMutableBufferPointer<SceneSession>
        let rows: UnsafeMutableBufferPointer<[MetricRow]>
        init(_ s: [SceneSession]) {
            sessions = .allocate(capacity: s.count)
            _ = sessions.initialize(from: s)
            rows = .allocate(capacity: s.count)
            rows.initialize(repeating: [])
        }
        /// The stepped copies (the rows stay readable until the box goes).
        func finish() -> [SceneSession] { Array(sessions) }
        deinit {
            sessions.deinitialize()
            sessions.deallocate()
            rows.deinitialize()
            rows.deallocate()
        }
    }
}
