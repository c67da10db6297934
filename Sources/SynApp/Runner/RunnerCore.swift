import SynCore
import SynModels
import SynScenes

/// A monotonic clock in seconds. The runner reads time only through one of these, so its
/// pacing, meters and publish decisions can be tested with a clock the test moves by hand.
public protocol RunnerClock: Sendable {
    /// Seconds since an arbitrary fixed origin; never decreases.
    func now() -> Double
}

/// The real clock (`ContinuousClock`).
public struct MonotonicClock: RunnerClock {
    private let origin = ContinuousClock.now
    public init() {}
    public func now() -> Double {
        let d = ContinuousClock.now - origin
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// The simulation thread's logic without the thread: applies commands, decides when to publish
/// a snapshot (and whether to recompute views), and does one slice of work or says how long to
/// wait. `SimulationRunner` drives it from its thread; tests drive it directly with a manual
/// clock. It owns the session: one thread at a time.
struct RunnerCore {
    /// What the thread should do after a call to `work()`.
    enum Next: Equatable {
        /// Some steps were taken: go round again at once.
        case again
        /// Nothing to do now: sleep up to this many seconds (or until woken).
        case wait(Double)
    }

    private(set) var session: SceneSession
    private(set) var history: MetricHistory
    private(set) var speed: Speed
    private(set) var paused: Bool
    /// Steps asked for by `step`/`bigStep` and not yet taken.
    private(set) var pending = 0
    /// Commands applied since the start (snapshots report it so callers can wait for theirs).
    private(set) var applied = 0
    private(set) var generation: Int
    /// Steps per wall-clock second, measured over windows of at least half a second.
    private(set) var stepsPerSecond = 0.0
    /// Last error text of a command (cleared by the next batch of commands).
    private(set) var message: String?
    /// Free running pauses once on reaching this step (the scene's `steps`); nil once passed.
    private(set) var stopAt: Int?
    /// The step at which the run paused on reaching `stopAt` (until resumed).
    private(set) var endedAt: Int?
    /// Metric rows measured since the last `takeRows()`, and whether the run restarted since.
    private var newRows: [MetricRow] = []
    private var rowsRestarted = false
    /// Set by a rewind: rows after this step belong to an abandoned future (for `takeRows`).
    private var rowsTruncatedAfter: Int?
    /// Periodic copies of the session for rewinding (`b`, `B`).
    private(set) var saved: RewindHistory
    /// Every event of the current timeline, also those after the current step when rewound
    /// (going forward again replays them); `session.events` is always a prefix of it.
    private(set) var timeline: [SessionEvent] = []
    /// The furthest step this timeline has reached.
    private(set) var frontier = 0
    /// Steps where a change after a rewind forked a new history (chart markers).
    private(set) var forks: [Int] = []
    /// A tour's `when` condition being run towards (metric index and condition).
    private(set) var until: (metric: Int, condition: TourStop.Condition)?
    /// The step where the last `runUntil` condition was met.
    private(set) var untilMetAt: Int?
    let clock: any RunnerClock
    let frameInterval: Double
    /// Pause once at the scene's `steps` (again after each reset).
    let stopsAtEnd: Bool

    private var queue: [SimCommand] = []
    private var dirty = false
    private var lastViews: (views: [String: PanelView], probe: [Factor], step: Int)
    private var rateStart: Double
    private var stepsSinceRateStart = 0
    private var meterStart: Double
    private var meterSteps = 0
    private var secondsPerStep = 1e-6
    private var lastPublish: Double
    private var viewsSeconds = 0.0
    private var lastViewsAt: Double
    private var appliedThisPass = false

    /// Largest share of the simulation thread's time that views may take while it runs at
    /// maximum speed.
    static var viewsBudget: Double { 0.03 }

    init(session: SceneSession, first: Snapshot, speed: Speed, paused: Bool, frameInterval: Double, clock: any RunnerClock,
         stopsAtEnd: Bool = false, rewindBytes: Int = 0, rewindInterval: Int? = nil) {
        self.session = session
        self.saved = RewindHistory(budgetBytes: rewindBytes, fixedInterval: rewindInterval)
        self.timeline = session.events
        self.frontier = session.step
        self.stopsAtEnd = stopsAtEnd
        self.stopAt = stopsAtEnd && session.spec.steps > session.step ? session.spec.steps : nil
        self.history = first.history
        self.generation = first.generation
        self.lastViews = (first.views, first.probe, first.viewsStep)
        self.speed = speed
        self.paused = paused
        self.frameInterval = frameInterval
        self.clock = clock
        let t = clock.now()
        rateStart = t
        meterStart = t
        lastPublish = t
        lastViewsAt = t
        saved.record(session, history: history, secondsPerStep: secondsPerStep, force: true)
    }

    // MARK: - Commands

    /// Queues `incoming` and applies commands in order. A command that changes the dynamics
    /// (rule, control) waits until the steps queued before it are done, so "step 1000, switch
    /// rule" switches exactly at step 1000. Returns true when `quit` arrived.
    mutating func accept(_ incoming: [SimCommand]) -> Bool {
        queue.append(contentsOf: incoming)
        appliedThisPass = false
        if queue.contains(.quit) { return true }
        while let c = queue.first {
            if pending > 0, c.waitsForQueuedSteps { break }
            queue.removeFirst()
            if !appliedThisPass { message = nil }
            appliedThisPass = true
            applied += 1
            apply(c)
        }
        if appliedThisPass { dirty = true }
        return false
    }

    private mutating func apply(_ c: SimCommand) {
        let now = clock.now()
        switch c {
        case .quit: break
        case .setPaused(let p):
            guard paused != p else { return }
            paused = p
            if !p { endedAt = nil }
            rateStart = now
            stepsSinceRateStart = 0
            meterStart = now
            meterSteps = 0
            if p { stepsPerSecond = 0 }
        case .step(let n): pending += max(0, n)
        case .bigStep:
            let unit = session.sim.bigStep.steps
            pending += unit - (session.step + pending) % unit
        case .setSpeed(let s):
            speed = s
            rateStart = now
            stepsSinceRateStart = 0
        case .cycleRule(let k):
            let n = session.sim.ruleNames.count
            let index = ((session.sim.activeRule + k) % n + n) % n
            if n > 1 { changeDynamics { $0.selectRule(index) } }
        case .reset:
            do throws(SceneError) { try session.reset() } catch { message = error.description }
            restart()
        case .reseed:
            do throws(SceneError) { try session.reset(seed: session.seed &+ 1) } catch { message = error.description }
            restart()
        case .setSeed(let seed):
            do throws(SceneError) { try session.reset(seed: seed) } catch { message = error.description }
            restart()
        case .selectRule(let name):
            if !changeDynamics({ $0.selectRule(named: name) }) {
                message = "unknown rule \"\(name)\" (one of: \(session.sim.ruleNames.joined(separator: ", ")))"
            }
        case .setControl(let name, let v):
            if let err = changeDynamics({ $0.setControl(name, to: v) }) { message = err }
        case .nudgeControl(let index, let k):
            let controls = session.sim.controls
            guard controls.indices.contains(index) else { return }
            let c = controls[index]
            let v = min(max(c.value + Double(k) * c.step, c.range.lowerBound), c.range.upperBound)
            if let err = changeDynamics({ $0.setControl(c.name, to: v) }) { message = err }
        case .rewind(let n):
            rewind(to: session.step - max(0, n), clamp: false)
        case .goTo(let target):
            until = nil
            if target > session.step {
                pending = target - session.step
            } else if target < session.step {
                rewind(to: target, clamp: true)
            }
        case .runUntil(let c):
            guard let j = session.metricNames.firstIndex(of: c.metric) else {
                message = "unknown metric \(c.metric)"
                return
            }
            until = (j, c)
            untilMetAt = nil
            pending = 0
            paused = false
            endedAt = nil
            stopAt = nil
            rateStart = now
            stepsSinceRateStart = 0
        case .rewindBigStep:
            let unit = session.sim.bigStep.steps
            let r = session.step % unit
            rewind(to: session.step - (r == 0 ? unit : r), clamp: true)
        }
    }

    /// Applies a change of the dynamics (rule, control) and logs it. After a rewind (behind
    /// the furthest step reached, or with logged events ahead) it forks a new history: the
    /// events and saved points ahead are dropped and the charts mark the fork.
    @discardableResult
    private mutating func changeDynamics<R>(_ change: (inout SceneSession) -> R) -> R {
        let before = session.events.count
        let forking = session.step < frontier || timeline.count > before
        let result = change(&session)
        guard session.events.count > before else { return result }
        if forking {
            let step = session.step
            forks = forks.filter { $0 < step } + [step]
            saved.drop(after: step)
            frontier = step
        }
        timeline = session.events
        return result
    }

    /// Goes back to `target`: restores the newest saved point at or before it and re-simulates
    /// forward (replaying the timeline's events). Rows after `target` are dropped from the
    /// history; going forward again measures them anew, bit for bit the same.
    private mutating func rewind(to target: Int, clamp: Bool) {
        pending = 0
        until = nil
        guard saved.enabled else {
            message = "rewinding is off (--rewind-mib 0)"
            return
        }
        guard let oldest = saved.oldestStep else { return }
        var to = max(0, target)
        if to < oldest {
            guard clamp, session.step > oldest else {
                message = session.step <= oldest ? "cannot rewind: no earlier state kept"
                    : "can rewind to step \(oldest) at most (the history keeps --rewind-mib of states)"
                return
            }
            to = oldest
        }
        guard to < session.step, let p = saved.point(atOrBefore: to) else {
            if session.step == 0 { message = "at step 0: nothing to rewind" }
            return
        }
        session = p.session
        history = p.history
        saved.drop(after: to)
        advanceTimeline(to - session.step, keepRows: false)
        rowsTruncatedAfter = min(rowsTruncatedAfter ?? to, to)
        newRows.removeAll { $0.step > to }
        stopAt = stopsAtEnd && session.spec.steps > session.step ? session.spec.steps : nil
        endedAt = nil
    }

    /// Applies the timeline's events due at the current step (after a rewind).
    private mutating func applyDueEvents() {
        while timeline.count > session.events.count, timeline[session.events.count].step <= session.step {
            let before = session.events.count
            _ = session.apply(timeline[before])
            if session.events.count == before {
                // The event no longer applies: the timeline ends here.
                timeline = session.events
                return
            }
        }
    }

    /// Advances `n` steps along the timeline: stops where a saved point is due or a logged
    /// event applies. Rows go to the history, and to `takeRows` when `keepRows`.
    private mutating func advanceTimeline(_ n: Int, keepRows: Bool) {
        applyDueEvents()
        var left = n
        while left > 0 {
            var k = left
            if saved.enabled { k = min(k, max(1, saved.nextStep - session.step)) }
            if timeline.count > session.events.count { k = min(k, max(1, timeline[session.events.count].step - session.step)) }
            if until != nil { k = min(k, session.spec.metricsEvery - session.step % session.spec.metricsEvery) }
            let rows = session.advance(k)
            history.append(rows)
            if keepRows { newRows.append(contentsOf: rows) }
            left -= k
            if let u = until, let row = rows.last, row.values.indices.contains(u.metric), u.condition.holds(row.values[u.metric]) {
                until = nil
                untilMetAt = session.step
                paused = true
                pending = 0
                left = 0
                stepsPerSecond = 0
                message = "tour: \(u.condition.metric) = \(NumberFormat.value(row.values[u.metric])) at step \(session.step)"
            }
            saved.record(session, history: history, secondsPerStep: secondsPerStep)
            applyDueEvents()
        }
        frontier = max(frontier, session.step)
    }

    private mutating func restart() {
        until = nil
        untilMetAt = nil
        saved.clear()
        timeline = session.events
        frontier = session.step
        forks = []
        rowsTruncatedAfter = nil
        history = MetricHistory(columns: session.metricNames.count)
        let row = session.measureRow()
        history.append(row)
        newRows = [row]
        rowsRestarted = true
        saved.record(session, history: history, secondsPerStep: secondsPerStep, force: true)
        stopAt = stopsAtEnd && session.spec.steps > session.step ? session.spec.steps : nil
        endedAt = nil
        pending = 0
        rateStart = clock.now()
        stepsSinceRateStart = 0
    }

    // MARK: - Publishing

    /// The snapshot to publish now, if the UI asked (`requested`), something changed, and the
    /// frame interval has passed (at once after a command). Views are recomputed only when
    /// asked, and while running flat out only as often as keeps their cost under
    /// `viewsBudget` of the thread's time.
    mutating func snapshotIfDue(requested: Bool, wantViews: Bool) -> Snapshot? {
        let now = clock.now()
        let m = now - meterStart
        if m >= 0.5 {
            stepsPerSecond = Double(meterSteps) / m
            meterStart = now
            meterSteps = 0
        } else if paused && pending == 0 && meterSteps == 0 && m >= 0.25 {
            stepsPerSecond = 0
        }
        let viewsStale = wantViews && lastViews.step != session.step
        guard requested, dirty || viewsStale, appliedThisPass || now - lastPublish >= frameInterval * 0.9 else { return nil }
        let freeRunning = !paused && pending == 0 && speed == .max
        let minViewsInterval = freeRunning ? viewsSeconds / Self.viewsBudget : 0
        if wantViews && (appliedThisPass || viewsStale && !freeRunning || now - lastViewsAt >= minViewsInterval) {
            let t0 = clock.now()
            lastViews = (session.sim.views(), session.sim.probe(), session.step)
            viewsSeconds = clock.now() - t0
            lastViewsAt = now
        }
        lastPublish = now
        dirty = false
        return makeSnapshot(stepsPerSecond: stepsPerSecond)
    }

    /// The last snapshot when quitting (no new views), if anything changed since the last one.
    mutating func finalSnapshot() -> Snapshot? {
        guard dirty else { return nil }
        dirty = false
        return makeSnapshot(stepsPerSecond: 0)
    }

    private mutating func makeSnapshot(stepsPerSecond: Double) -> Snapshot {
        generation += 1
        return SimulationRunner.makeSnapshot(session: session, generation: generation, history: history,
                                             views: lastViews.views, probe: lastViews.probe, viewsStep: lastViews.step,
                                             stepsPerSecond: stepsPerSecond, paused: paused, speed: speed,
                                             message: message, commandsApplied: applied, endedAt: endedAt,
                                             forks: forks.filter { $0 <= session.step }, rewindDepth: saved.depth(at: session.step),
                                             frontier: frontier,
                                             untilMetAt: untilMetAt, running: until != nil,
                                             rewindStats: RewindStats(points: saved.points.count, bytes: saved.costBytes,
                                                                      lastAddedBytes: saved.lastAddedBytes, interval: saved.interval))
    }

    /// The metric rows measured since the last call, and whether the run restarted (reset,
    /// reseed) since then, so the caller's copy of every row must start over.
    mutating func takeRows() -> (restarted: Bool, rows: [MetricRow], truncatedAfter: Int?) {
        defer {
            newRows = []
            rowsRestarted = false
            rowsTruncatedAfter = nil
        }
        return (rowsRestarted, newRows, rowsTruncatedAfter)
    }

    // MARK: - Work

    /// One slice of work: queued single/big steps first, then free running at the chosen
    /// speed; slices last about 2 ms so commands and snapshots stay responsive.
    /// `snapshotWanted` shortens waits while a requested snapshot is out of date.
    mutating func work(snapshotWanted: Bool) -> Next {
        let chunk = max(1, min(1 << 22, Int(0.002 / secondsPerStep)))
        if pending > 0 {
            let n = min(pending, chunk)
            advance(n)
            pending -= n
            // Stepping by hand past the end: no pause there later.
            if let e = stopAt, session.step >= e { stopAt = nil }
            return .again
        }
        if paused { return .wait(snapshotWanted ? 0.005 : 0.2) }
        if let end = stopAt, session.step >= end {
            // The scene's `steps` reached: pause once and say so; `space` goes on.
            stopAt = nil
            paused = true
            endedAt = session.step
            stepsPerSecond = 0
            dirty = true
            return .wait(0)
        }
        let toEnd = stopAt.map { $0 - session.step } ?? Int.max
        switch speed {
        case .max:
            advance(min(chunk, toEnd))
            return .again
        case .stepsPerSecond(let rate):
            let elapsed = clock.now() - rateStart
            let due = Int(elapsed * rate) + 1 - stepsSinceRateStart
            if due > 0 {
                let n = min(due, chunk, toEnd)
                advance(n)
                stepsSinceRateStart += n
                return .again
            }
            let wait = Double(stepsSinceRateStart) / rate - elapsed
            return .wait(min(max(wait, 0.0005), snapshotWanted ? frameInterval : 0.2))
        }
    }

    /// True when a requested snapshot would show something new.
    func snapshotWanted(requested: Bool, wantViews: Bool) -> Bool {
        requested && (dirty || wantViews && lastViews.step != session.step)
    }

    private mutating func advance(_ n: Int) {
        let t0 = clock.now()
        let wasDiverged = session.divergence != nil
        advanceTimeline(n, keepRows: true)
        secondsPerStep = 0.8 * secondsPerStep + 0.2 * max((clock.now() - t0) / Double(n), 1e-9)
        meterSteps += n
        dirty = true
        if !wasDiverged && session.divergence != nil && !paused {
            // A run that just diverged only produces NaNs from now on: pause once and let the
            // user reset (resuming is still possible).
            paused = true
            pending = 0
            stepsPerSecond = 0
        }
    }
}
