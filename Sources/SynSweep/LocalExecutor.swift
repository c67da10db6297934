import Foundation
import SynCore

/// Progress of a local sweep, for the progress line.
public struct SweepProgress: Sendable {
    public var total: Int
    /// Finished before this invocation (skipped).
    public var skipped: Int
    public var done: Int
    public var failed: Int
    public var running: Int
    public var elapsed: Double
    /// Estimated seconds left (nil until a run has finished in this invocation).
    public var eta: Double?

    public var line: String {
        let finished = skipped + done
        let width = 24
        let filled = total > 0 ? min(width, finished * width / total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let etaText = eta.map { "eta \(Self.duration($0))" } ?? "eta ?"
        return "[\(bar)] \(finished)/\(total) runs  \(running) running  \(failed) failed  \(Self.duration(elapsed))  \(etaText)"
    }

    static func duration(_ s: Double) -> String {
        if s < 60 { return String(format: "%.1f s", s) }
        if s < 3600 { return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60) }
        return String(format: "%dh%02dm", Int(s) / 3600, Int(s) % 3600 / 60)
    }
}

/// Runs a sweep's pending points on a pool of worker processes on this machine. Each worker is
/// the same binary running one point (`synaptop sweep SPEC --out DIR --task-index I`), its
/// output in `runs/<id>/worker.log`. A point whose manifest says finished is skipped, so an
/// interrupted sweep resumes where it stopped; a worker that dies without a manifest gets a
/// `failed` manifest with its exit status (and is retried by the next invocation).
public struct LocalExecutor {
    public var executable: String
    public var specPath: String
    public var store: RunStore
    public var jobs: Int
    /// Extra arguments for every worker (e.g. `--quiet`).
    public var workerArguments: [String] = []
    /// Variables added to the workers' environment.
    public var environment: [String: String] = [:]

    public init(executable: String, specPath: String, store: RunStore, jobs: Int) {
        self.executable = executable
        self.specPath = specPath
        self.store = store
        self.jobs = max(1, jobs)
    }

    /// The worker command for point `index` of `count`.
    public func command(index: Int, count: Int) -> [String] {
        [executable, "sweep", specPath, "--out", store.dir, "--task-index", String(index), "--task-count", String(count)] + workerArguments
    }

    /// Runs every pending point; returns the final progress. `shouldStop` is polled about ten
    /// times a second: when it turns true no new worker starts, running workers get SIGTERM
    /// (they stop without writing, so their points stay pending) and the call returns.
    public func run(_ points: [SweepPoint], progress: (SweepProgress) -> Void, shouldStop: () -> Bool) throws(SweepError) -> (SweepProgress, interrupted: Bool) {
        var queue: [SweepPoint] = []
        var skipped = 0
        for p in points {
            if store.isFinished(p.id) { skipped += 1 } else { queue.append(p) }
        }
        queue.reverse()  // pop from the end, in index order
        var state = SweepProgress(total: points.count, skipped: skipped, done: 0, failed: 0, running: 0, elapsed: 0, eta: nil)
        var running: [pid_t: SweepPoint] = [:]
        let start = ContinuousClock.now
        var lastDraw = -1.0
        var interrupted = false
        var signalled = false

        func elapsed() -> Double {
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }

        while !queue.isEmpty || !running.isEmpty {
            if shouldStop() && !interrupted {
                interrupted = true
                queue.removeAll()
            }
            if interrupted && !signalled {
                for pid in running.keys { kill(pid, SIGTERM) }
                signalled = true
            }
            var changed = false
            for (pid, p) in running {
                var status: Int32 = 0
                let r = waitpid(pid, &status, WNOHANG)
                guard r == pid || (r < 0 && errno == ECHILD) else { continue }
                running[pid] = nil
                changed = true
                if store.isFinished(p.id) {
                    state.done += 1
                } else if interrupted || Self.wasStopped(status) {
                    // stopped on request (or by Ctrl-C reaching the worker first): stays pending
                } else {
                    state.failed += 1
                    try recordFailure(p, waitStatus: status)
                }
            }
            while running.count < jobs, let p = queue.popLast() {
                try RunStore.makeDirectories(store.runDir(p.id))
                let pid = try spawn(command(index: p.index, count: points.count), log: store.logPath(p.id))
                running[pid] = p
            }
            state.running = running.count
            state.elapsed = elapsed()
            let finishedHere = state.done + state.failed
            if finishedHere > 0 {
                let left = queue.count + running.count
                state.eta = state.elapsed / Double(finishedHere) * Double(left)
            }
            if changed || state.elapsed - lastDraw >= 0.5 {
                lastDraw = state.elapsed
                progress(state)
            }
            if !changed { usleep(50_000) }
        }
        state.elapsed = elapsed()
        state.eta = interrupted ? nil : 0
        return (state, interrupted)
    }

    /// True for a worker that stopped because of SIGINT/SIGTERM (exit 130 or killed by them).
    static func wasStopped(_ waitStatus: Int32) -> Bool {
        let signal = waitStatus & 0x7f
        return signal == 0 ? (waitStatus >> 8) & 0xff == 130 : signal == SIGINT || signal == SIGTERM
    }

    /// Writes a `failed` manifest for a worker that exited without one.
    func recordFailure(_ p: SweepPoint, waitStatus: Int32) throws(SweepError) {
        let signal = waitStatus & 0x7f
        let code: Int32 = signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal
        let how = signal == 0 ? "exited with status \(code)" : "killed by signal \(signal)"
        let logLines = (try? FileIO.read(store.logPath(p.id), limit: 1 << 20)).map { String(decoding: $0, as: UTF8.self) }?
            .split(whereSeparator: \.isNewline).map(String.init) ?? []
        let last = logLines.last(where: { !$0.hasPrefix("[") }) ?? ""
        let m = RunManifest(
            id: p.id, index: p.index, status: .failed, exitStatus: code,
            error: "worker \(how)" + (last.isEmpty ? "" : ": \(last)"),
            scene: "", sceneFile: "", sceneText: "", overrides: p.overrides, rule: "", seed: p.seed, steps: 0,
            metrics: [], rows: 0, synaptopVersion: "", gitCommit: nil, host: RunContext.hostName(),
            started: ISO8601DateFormatter().string(from: Date()), wallSeconds: 0, executor: "local")
        try store.writeManifest(m)
    }

    /// Starts `argv` with stdout and stderr appended to `log`; default signal handling.
    func spawn(_ argv: [String], log: String) throws(SweepError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cargs.append(nil)
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Workers share the cores: each gets its part for its threads unless the user said otherwise.
        if env["SYNAPTOP_THREADS"] == nil { env["SYNAPTOP_THREADS"] = String(max(1, ParallelDefaults.cores / jobs)) }
        var cenv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") }
        cenv.append(nil)
        defer { for p in cargs + cenv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, cargs, cenv)
        guard rc == 0 else { throw SweepError(message: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }
}
