import Dispatch

/// Copies of a scene stepped together: every copy advances by the same number of steps per
/// call, copies spread over threads (each copy owned by one thread for the call), so the rows
/// do not depend on the thread count. The stepping shared by a rule race and a seed ensemble.
struct Lockstep {
    private(set) var sessions: [SceneSession]
    /// Rows measured by each copy since it was built (step 0 included).
    private(set) var rows: [[MetricRow]]

    init(_ sessions: [SceneSession]) {
        var measured = sessions
        rows = measured.indices.map { [measured[$0].measureRow()] }
        self.sessions = measured
    }

    /// Steps taken by every copy.
    var step: Int { sessions.first?.step ?? 0 }

    /// Advances every copy by `steps` on up to `threads` threads.
    mutating func advance(_ steps: Int, threads: Int) {
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
        for i in 0..<n { rows[i] += box.rows[i] }
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
