import Testing
import Synchronization
import SynScenes
@testable import SynApp

/// A clock the test moves by hand.
final class ManualClock: RunnerClock {
    private let t = Mutex(0.0)
    func now() -> Double { t.withLock { $0 } }
    func advance(_ seconds: Double) { t.withLock { $0 += seconds } }
}

/// The simulation thread's logic, driven step by step with a manual clock: pacing, queued
/// steps, commands landing at exact steps, publishing and the rate meter.
@Suite struct RunnerCoreTests {
    static func core(speed: Speed, paused: Bool, clock: ManualClock) throws -> RunnerCore {
        var session = try SceneSession(spec: loadScene("oja"))
        let history = MetricHistory.starting(with: &session)
        let first = SimulationRunner.makeSnapshot(session: session, generation: 0, history: history, views: [:], probe: [],
                                                  stepsPerSecond: 0, paused: paused, speed: speed, message: nil)
        return RunnerCore(session: session, first: first, speed: speed, paused: paused, frameInterval: 1.0 / 30, clock: clock)
    }

    /// At 100 steps/s the core takes the first step at once, then waits until the clock says
    /// the next ones are due: 101 steps after one simulated second, never more.
    @Test func pacedSpeedFollowsTheClock() throws {
        let clock = ManualClock()
        var core = try Self.core(speed: .stepsPerSecond(100), paused: false, clock: clock)
        #expect(core.work(snapshotWanted: false) == .again)
        #expect(core.session.step == 1)
        guard case .wait(let w) = core.work(snapshotWanted: false) else { Issue.record("expected a wait"); return }
        #expect(abs(w - 0.01) < 1e-9)
        clock.advance(1.0)
        while core.work(snapshotWanted: false) == .again {}
        #expect(core.session.step == 101)
    }

    /// Paused, the core only sleeps (briefly when a snapshot is wanted); queued single steps
    /// still run, exactly as many as asked.
    @Test func pausedCoreRunsOnlyQueuedSteps() throws {
        let clock = ManualClock()
        var core = try Self.core(speed: .max, paused: true, clock: clock)
        #expect(core.work(snapshotWanted: false) == .wait(0.2))
        #expect(core.work(snapshotWanted: true) == .wait(0.005))
        #expect(core.accept([.step(7)]) == false)
        while core.work(snapshotWanted: false) == .again {}
        #expect(core.session.step == 7)
        #expect(core.applied == 1)
    }

    /// A rule switch queued behind steps lands exactly at the step where they end.
    @Test func dynamicsCommandsWaitForQueuedSteps() throws {
        let clock = ManualClock()
        var core = try Self.core(speed: .max, paused: true, clock: clock)
        _ = core.accept([.step(250), .cycleRule(1)])
        #expect(core.applied == 1)
        while core.work(snapshotWanted: false) == .again { _ = core.accept([]) }
        _ = core.accept([])
        #expect(core.applied == 2)
        #expect(core.session.switches.map(\.step) == [250])
        #expect(core.accept([.quit]) == true)
    }

    /// Snapshots go out only when asked for; right after a command at once, otherwise at most
    /// once per frame interval. The meter reports steps per second of the manual clock.
    @Test func publishingAndMeterFollowTheClock() throws {
        let clock = ManualClock()
        var core = try Self.core(speed: .max, paused: true, clock: clock)
        _ = core.accept([.step(40)])
        #expect(core.snapshotIfDue(requested: false, wantViews: false) == nil)
        let published = core.snapshotIfDue(requested: true, wantViews: false)
        let first = try #require(published)
        #expect(first.generation == 1 && first.commandsApplied == 1)
        while core.work(snapshotWanted: true) == .again {}
        _ = core.accept([])
        #expect(core.snapshotIfDue(requested: true, wantViews: false) == nil)  // within the frame interval
        clock.advance(0.6)
        let again = core.snapshotIfDue(requested: true, wantViews: true)
        let second = try #require(again)
        #expect(second.step == 40 && second.viewsStep == 40 && !second.views.isEmpty)
        #expect(abs(second.stepsPerSecond - 40 / 0.6) < 1e-6)
    }
}
