import Dispatch
import Foundation
import Synchronization
import SynModels
import SynScenes

/// Owns a `SceneSession` on a dedicated simulation thread: drains a command mailbox, steps the
/// network at the chosen speed and publishes immutable, generation-numbered `Snapshot`s.
///
/// The session is only ever touched by the simulation thread. Views (`views()`, `probe()`) are
/// computed only when the UI asked since the last publish (`requestSnapshot(views:)`), so an
/// idle or frozen UI costs the simulation nothing. Stepping goes through
/// `SceneSession.advance`, which measures at exact metric boundaries, so the metric rows do not
/// depend on how pauses, speeds or snapshots split the work.
public final class SimulationRunner: Sendable {
    /// State shared between the UI thread and the simulation thread.
    struct Shared {
        var mailbox: [SimCommand] = []
        /// The UI asked for a fresh snapshot; `wantViews` says whether to compute views too.
        var requested = false
        var wantViews = false
        var snapshot: Snapshot
        var finished = false
        /// Commands queued by `send` since the start.
        var sent = 0
        /// Every metric row since the last reset (thinned to every other row whenever it
        /// reaches `maxRows`), for `:export`.
        var rows: [MetricRow] = []
    }

    /// The default memory budget of the rewind history: 256 MiB.
    public static let defaultRewindBytes = 256 << 20

    /// Rows kept for `metricRows()` before older ones are thinned.
    static let maxRows = 200_000

    private let shared: Mutex<Shared>
    /// Wakes the simulation thread when a command or request arrives.
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled when the simulation thread has ended.
    private let done = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let transfer: Transfer

    /// Moves the session into the simulation thread. The creator never touches it again, so
    /// the non-Sendable simulation is owned by exactly one thread at a time.
    private final class Transfer: @unchecked Sendable {
        var session: SceneSession?
        let speed: Speed
        let paused: Bool
        let frameInterval: Double
        let clock: any RunnerClock
        let stopsAtEnd: Bool
        let rewindBytes: Int
        init(session: SceneSession, speed: Speed, paused: Bool, frameInterval: Double, clock: any RunnerClock, stopsAtEnd: Bool,
             rewindBytes: Int) {
            self.session = session
            self.rewindBytes = rewindBytes
            self.stopsAtEnd = stopsAtEnd
            self.speed = speed
            self.paused = paused
            self.frameInterval = frameInterval
            self.clock = clock
        }
    }

    /// Prepares a runner for `session` (takes ownership). The thread starts with `start()`.
    /// - Parameters:
    ///   - maxPublishRate: snapshots per second at most when the UI keeps asking (the frame rate).
    ///   - clock: where the thread reads time (pacing, meters); tests may pass their own.
    ///   - stopsAtEnd: pause once when free running reaches the scene's `steps` (the dashboard).
    ///   - rewindBytes: memory budget of the rewind history (0: no rewinding).
    ///   - history: the rows measured so far when `session` did not just start (a resumed
    ///     checkpoint); nil measures a first row now.
    public init(session: consuming SceneSession, speed: Speed = .max, paused: Bool = false, maxPublishRate: Double = 30,
                clock: any RunnerClock = MonotonicClock(), stopsAtEnd: Bool = false, rewindBytes: Int = SimulationRunner.defaultRewindBytes,
                history resumed: (history: MetricHistory, last: MetricRow)? = nil) {
        var s = session
        let firstRow = resumed?.last ?? s.measureRow()
        var history = MetricHistory(columns: s.metricNames.count)
        if let resumed { history = resumed.history } else { history.append(firstRow) }
        let first = Self.makeSnapshot(session: s, generation: 0, history: history, views: s.sim.views(),
                                      probe: s.sim.probe(), stepsPerSecond: 0, paused: paused, speed: speed, message: nil)
        var sh = Shared(snapshot: first)
        sh.rows = [firstRow]
        shared = Mutex(sh)
        transfer = Transfer(session: s, speed: speed, paused: paused, frameInterval: 1 / max(1, maxPublishRate), clock: clock,
                            stopsAtEnd: stopsAtEnd, rewindBytes: rewindBytes)
    }

    deinit {
        stop()
    }

    /// Starts the simulation thread (once).
    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "synaptop-sim"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a command for the simulation thread.
    public func send(_ command: SimCommand) {
        shared.withLock {
            $0.mailbox.append(command)
            $0.sent += 1
        }
        wake.signal()
    }

    /// Queues several commands in order.
    public func send(_ commands: [SimCommand]) {
        guard !commands.isEmpty else { return }
        shared.withLock {
            $0.mailbox.append(contentsOf: commands)
            $0.sent += commands.count
        }
        wake.signal()
    }

    /// Asks for a fresh snapshot (with views when `views` is true) as soon as the state changed.
    public func requestSnapshot(views: Bool) {
        let first = shared.withLock { s -> Bool in
            let was = s.requested
            s.requested = true
            s.wantViews = s.wantViews || views
            return !was
        }
        if first { wake.signal() }
    }

    /// The latest published snapshot (cheap: arrays are shared copy-on-write).
    public var snapshot: Snapshot { shared.withLock { $0.snapshot } }

    /// Commands queued with `send` so far; a snapshot whose `commandsApplied` equals this
    /// reflects every command sent.
    public var commandsSent: Int { shared.withLock { $0.sent } }

    /// The metric rows measured since the start or the last reset, oldest first (thinned
    /// when very many: see `maxRows`), for exporting what the run has measured so far.
    public func metricRows() -> [MetricRow] { shared.withLock { $0.rows } }

    /// Generation of the latest snapshot.
    public var generation: Int { shared.withLock { $0.snapshot.generation } }

    /// True once the simulation thread has ended.
    public var isFinished: Bool { shared.withLock { $0.finished } }

    /// Asks the simulation thread to quit and waits for it (idempotent).
    public func stop() {
        guard started.load(ordering: .acquiring) else { return }
        let finished = shared.withLock { s -> Bool in
            if !s.finished { s.mailbox.append(.quit) }
            return s.finished
        }
        if finished { return }
        wake.signal()
        done.wait()
        done.signal()  // let later stop() calls through
    }

    /// Asks for a snapshot and waits (polling, up to `timeout` seconds) until one newer than
    /// `generation` is published; nil on timeout. For tests and tools that need a settled state.
    public func nextSnapshot(after generation: Int, views: Bool = true, timeout: Double = 10) -> Snapshot? {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        requestSnapshot(views: views)
        while ContinuousClock.now < deadline {
            let s = snapshot
            if s.generation > generation { return s }
            Thread.sleep(forTimeInterval: 0.0005)
        }
        return nil
    }

    // MARK: - Simulation thread

    /// The thread: drain the mailbox into the core, publish when due, work or sleep.
    private func loop() {
        guard let session = transfer.session else { return }
        transfer.session = nil
        let first = shared.withLock { $0.snapshot }
        var core = RunnerCore(session: session, first: first, speed: transfer.speed, paused: transfer.paused,
                              frameInterval: transfer.frameInterval, clock: transfer.clock, stopsAtEnd: transfer.stopsAtEnd,
                              rewindBytes: transfer.rewindBytes)
        while true {
            let (incoming, requested, wantViews) = shared.withLock { s -> ([SimCommand], Bool, Bool) in
                // Move the commands out (copying the array and then removeAll(keepingCapacity:)
                // would allocate a fresh buffer on every pass, commands or not).
                var c: [SimCommand] = []
                if !s.mailbox.isEmpty { swap(&c, &s.mailbox) }
                return (c, s.requested, s.wantViews)
            }
            if core.accept(incoming) {
                // A last snapshot (without new views) so the final state stays readable.
                if let snap = core.finalSnapshot() { shared.withLock { $0.snapshot = snap } }
                break
            }
            let (restarted, rows, truncatedAfter) = core.takeRows()
            if restarted || !rows.isEmpty || truncatedAfter != nil {
                shared.withLock { s in
                    if restarted { s.rows.removeAll(keepingCapacity: true) }
                    if let t = truncatedAfter { s.rows.removeAll { $0.step > t } }
                    s.rows.append(contentsOf: rows)
                    if s.rows.count > Self.maxRows {
                        // Keep every other row (the first and the newest stay).
                        let last = s.rows[s.rows.count - 1]
                        s.rows = stride(from: 0, to: s.rows.count, by: 2).map { s.rows[$0] }
                        if s.rows.last != last { s.rows.append(last) }
                    }
                }
            }
            if let snap = core.snapshotIfDue(requested: requested, wantViews: wantViews) {
                shared.withLock { s in
                    s.snapshot = snap
                    s.requested = false
                    s.wantViews = false
                }
            }
            if case .wait(let seconds) = core.work(snapshotWanted: core.snapshotWanted(requested: requested, wantViews: wantViews)) {
                _ = wake.wait(timeout: .now() + .microseconds(Int(seconds * 1e6)))
            }
        }
        shared.withLock { $0.finished = true }
        done.signal()
    }

    static func makeSnapshot(session: SceneSession, generation: Int, history: MetricHistory, views: [String: PanelView],
                             probe: [Factor], viewsStep: Int? = nil, stepsPerSecond: Double, paused: Bool, speed: Speed,
                             message: String?, commandsApplied: Int = 0, endedAt: Int? = nil, forks: [Int] = [],
                             rewindDepth: Int = 0, frontier: Int? = nil, untilMetAt: Int? = nil, running: Bool = false,
                             rewindStats: RewindStats = RewindStats()) -> Snapshot {
        let sim = session.sim
        var switches = session.switches
        for f in forks {
            // A fork marks the chart like a rule switch, before a switch at the same step.
            let i = switches.firstIndex { $0.step >= f } ?? switches.count
            switches.insert(RuleSwitch(step: f, rule: "fork"), at: i)
        }
        var snap = Snapshot(generation: generation, step: sim.step, time: sim.time, dt: sim.dt, seed: session.seed,
                        ruleNames: sim.ruleNames, activeRule: sim.activeRule, ruleEquation: sim.ruleEquation,
                        bigStep: sim.bigStep, stepsPerSecond: stepsPerSecond, paused: paused, speed: speed,
                        metricNames: sim.metricNames, history: history, switches: switches, views: views,
                        viewsStep: viewsStep ?? sim.step, probe: probe, controls: sim.controls,
                        divergence: session.divergence, message: message, commandsApplied: commandsApplied, endedAt: endedAt)
        snap.rewindDepth = rewindDepth
        snap.frontier = max(frontier ?? session.step, session.step)
        snap.rewindStats = rewindStats
        snap.untilMetAt = untilMetAt
        snap.runningUntil = running
        snap.events = session.events
        snap.simEvents = sim.events
        return snap
    }
}
