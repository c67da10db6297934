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
    }

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
        init(session: SceneSession, speed: Speed, paused: Bool, frameInterval: Double) {
            self.session = session
            self.speed = speed
            self.paused = paused
            self.frameInterval = frameInterval
        }
    }

    /// Prepares a runner for `session` (takes ownership). The thread starts with `start()`.
    /// - Parameters:
    ///   - maxPublishRate: snapshots per second at most when the UI keeps asking (the frame rate).
    public init(session: consuming SceneSession, speed: Speed = .max, paused: Bool = false, maxPublishRate: Double = 30) {
        var s = session
        let history = MetricHistory.starting(with: &s)
        let first = Self.makeSnapshot(session: s, generation: 0, history: history, views: s.sim.views(),
                                      probe: s.sim.probe(), stepsPerSecond: 0, paused: paused, speed: speed, message: nil)
        shared = Mutex(Shared(snapshot: first))
        transfer = Transfer(session: s, speed: speed, paused: paused, frameInterval: 1 / max(1, maxPublishRate))
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

    private func loop() {
        guard var session = transfer.session else { return }
        transfer.session = nil
        var state = LoopState(speed: transfer.speed, paused: transfer.paused)
        // The initial row (step 0) was measured at construction; keep it.
        var history = shared.withLock { $0.snapshot.history }
        var generation = shared.withLock { $0.snapshot.generation }
        var lastViews = shared.withLock { ($0.snapshot.views, $0.snapshot.probe, $0.snapshot.viewsStep) }
        var dirty = false  // state changed since the last publish
        var message: String?
        let clock = ContinuousClock()
        var rateStart = clock.now
        var stepsSinceRateStart = 0
        var meterStart = clock.now
        var meterSteps = 0
        var stepsPerSecond = 0.0
        var secondsPerStep = 1e-6
        var lastPublish = clock.now
        var queue: [SimCommand] = []
        var applied = 0
        var viewsSeconds = 0.0
        var lastViewsAt = clock.now

        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }

        func doAdvance(_ n: Int) {
            let t0 = clock.now
            let wasDiverged = session.divergence != nil
            history.append(session.advance(n))
            let dt = seconds(clock.now - t0)
            secondsPerStep = 0.8 * secondsPerStep + 0.2 * max(dt / Double(n), 1e-9)
            meterSteps += n
            dirty = true
            if !wasDiverged && session.divergence != nil && !state.paused {
                // A run that just diverged only produces NaNs from now on: pause once and let
                // the user reset (resuming is still possible).
                state.paused = true
                state.pending = 0
                stepsPerSecond = 0
            }
        }

        func resetState() {
            history = MetricHistory.starting(with: &session)
            state.pending = 0
            rateStart = clock.now
            stepsSinceRateStart = 0
            dirty = true
        }

        while true {
            // 1. Drain the mailbox into the local queue and apply commands in order. A command
            //    that changes the dynamics (rule, control) waits until the steps queued before
            //    it are done, so "step 1000, switch rule" switches exactly at step 1000.
            let (incoming, requested, wantViews) = shared.withLock { s -> ([SimCommand], Bool, Bool) in
                let c = s.mailbox
                s.mailbox.removeAll(keepingCapacity: true)
                return (c, s.requested, s.wantViews)
            }
            queue.append(contentsOf: incoming)
            var commands: [SimCommand] = []
            var quit = queue.contains(.quit)
            while !quit, let c = queue.first {
                if state.pending > 0, c.waitsForQueuedSteps { break }
                queue.removeFirst()
                commands.append(c)
                applied += 1
                if commands.count == 1 { message = nil }
                switch c {
                case .quit: quit = true
                case .setPaused(let p):
                    if state.paused != p {
                        state.paused = p
                        rateStart = clock.now
                        stepsSinceRateStart = 0
                        meterStart = clock.now
                        meterSteps = 0
                        if p { stepsPerSecond = 0 }
                    }
                case .step(let n): state.pending += max(0, n)
                case .bigStep:
                    let unit = session.sim.bigStep.steps
                    state.pending += unit - (session.step + state.pending) % unit
                case .setSpeed(let s):
                    state.speed = s
                    rateStart = clock.now
                    stepsSinceRateStart = 0
                case .cycleRule(let k):
                    let n = session.sim.ruleNames.count
                    if n > 1 {
                        let next = ((session.sim.activeRule + k) % n + n) % n
                        session.selectRule(next)
                    }
                case .reset:
                    do throws(SceneError) { try session.reset() } catch { message = error.description }
                    resetState()
                case .reseed:
                    do throws(SceneError) { try session.reset(seed: session.seed &+ 1) } catch { message = error.description }
                    resetState()
                case .setControl(let name, let v):
                    if let err = session.setControl(name, to: v) { message = err }
                case .nudgeControl(let index, let k):
                    let controls = session.sim.controls
                    if controls.indices.contains(index) {
                        let c = controls[index]
                        let v = min(max(c.value + Double(k) * c.step, c.range.lowerBound), c.range.upperBound)
                        if let err = session.setControl(c.name, to: v) { message = err }
                    }
                }
            }
            if !commands.isEmpty { dirty = true }
            if quit {
                // A last snapshot (without new views) so the final state stays readable.
                if dirty {
                    generation += 1
                    let snap = Self.makeSnapshot(session: session, generation: generation, history: history,
                                                 views: lastViews.0, probe: lastViews.1, viewsStep: lastViews.2,
                                                 stepsPerSecond: 0, paused: state.paused, speed: state.speed, message: message,
                                                 commandsApplied: applied)
                    shared.withLock { $0.snapshot = snap }
                }
                break
            }

            // 2. Publish when asked and something changed (views only when asked, at most at
            //    the publish rate unless a command just changed the state).
            let now = clock.now
            let m = seconds(now - meterStart)
            if m >= 0.5 {
                stepsPerSecond = Double(meterSteps) / m
                meterStart = now
                meterSteps = 0
            } else if state.paused && state.pending == 0 && meterSteps == 0 && m >= 0.25 {
                stepsPerSecond = 0
            }
            // Views may lag the step after a frozen stretch (requests without views): refresh.
            let viewsStale = wantViews && lastViews.2 != session.step
            if requested && (dirty || viewsStale)
                && (!commands.isEmpty || seconds(now - lastPublish) >= transfer.frameInterval * 0.9) {
                // Views cost simulation time. While running flat out, recompute them only as
                // often as keeps their share of the simulation thread under `viewsBudget`
                // (expensive views then refresh below the frame rate; the status bar does not).
                let freeRunning = !state.paused && state.pending == 0 && state.speed == .max
                let minViewsInterval = freeRunning ? viewsSeconds / Self.viewsBudget : 0
                if wantViews && (!commands.isEmpty || viewsStale && !freeRunning
                                 || seconds(now - lastViewsAt) >= minViewsInterval) {
                    let t0 = clock.now
                    lastViews = (session.sim.views(), session.sim.probe(), session.step)
                    viewsSeconds = seconds(clock.now - t0)
                    lastViewsAt = now
                }
                generation += 1
                let snap = Self.makeSnapshot(session: session, generation: generation, history: history,
                                             views: lastViews.0, probe: lastViews.1, viewsStep: lastViews.2,
                                             stepsPerSecond: stepsPerSecond, paused: state.paused,
                                             speed: state.speed, message: message, commandsApplied: applied)
                shared.withLock { s in
                    s.snapshot = snap
                    s.requested = false
                    s.wantViews = false
                }
                lastPublish = now
                dirty = false
            }

            // 3. Work: pending single/big steps first, then free running at the chosen speed.
            let chunk = max(1, min(1 << 22, Int(0.002 / secondsPerStep)))
            if state.pending > 0 {
                let n = min(state.pending, chunk)
                doAdvance(n)
                state.pending -= n
                continue
            }
            if state.paused {
                _ = wake.wait(timeout: .now() + .milliseconds((dirty || viewsStale) && requested ? 5 : 200))
                continue
            }
            switch state.speed {
            case .max:
                doAdvance(chunk)
            case .stepsPerSecond(let rate):
                let elapsed = seconds(clock.now - rateStart)
                let due = Int(elapsed * rate) + 1 - stepsSinceRateStart
                if due > 0 {
                    let n = min(due, chunk)
                    doAdvance(n)
                    stepsSinceRateStart += n
                } else {
                    let wait = (Double(stepsSinceRateStart) / rate - elapsed)
                    let capped = min(max(wait, 0.0005), (dirty || viewsStale) && requested ? transfer.frameInterval : 0.2)
                    _ = wake.wait(timeout: .now() + .microseconds(Int(capped * 1e6)))
                }
            }
        }
        shared.withLock { $0.finished = true }
        done.signal()
    }

    /// Largest share of the simulation thread's time that views may take while it runs at
    /// maximum speed.
    static let viewsBudget = 0.03

    private struct LoopState {
        var speed: Speed
        var paused: Bool
        var pending = 0
    }

    static func makeSnapshot(session: SceneSession, generation: Int, history: MetricHistory, views: [String: PanelView],
                             probe: [Factor], viewsStep: Int? = nil, stepsPerSecond: Double, paused: Bool, speed: Speed,
                             message: String?, commandsApplied: Int = 0) -> Snapshot {
        let sim = session.sim
        return Snapshot(generation: generation, step: sim.step, time: sim.time, dt: sim.dt, seed: session.seed,
                        ruleNames: sim.ruleNames, activeRule: sim.activeRule, ruleEquation: sim.ruleEquation,
                        bigStep: sim.bigStep, stepsPerSecond: stepsPerSecond, paused: paused, speed: speed,
                        metricNames: sim.metricNames, history: history, switches: session.switches, views: views,
                        viewsStep: viewsStep ?? sim.step, probe: probe, controls: sim.controls,
                        divergence: session.divergence, message: message, commandsApplied: commandsApplied)
    }
}
