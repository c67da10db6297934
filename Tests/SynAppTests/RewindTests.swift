import Testing
import SynScenes
@testable import SynApp

/// Rewinding on the simulation thread's logic: restore a saved state, re-simulate forward;
/// going forward again gives the same numbers bit for bit, logged rule switches are replayed,
/// and a change after a rewind forks a new history.
@Suite struct RewindTests {
    static func core(budget: Int = 64 << 20, interval: Int? = 7) throws -> RunnerCore {
        var session = try SceneSession(spec: loadScene("oja", overrides: ["metrics.every=10"]))
        let history = MetricHistory.starting(with: &session)
        let first = SimulationRunner.makeSnapshot(session: session, generation: 0, history: history, views: [:], probe: [],
                                                  stepsPerSecond: 0, paused: true, speed: .max, message: nil)
        return RunnerCore(session: session, first: first, speed: .max, paused: true, frameInterval: 1.0 / 30,
                          clock: ManualClock(), rewindBytes: budget, rewindInterval: interval)
    }

    /// Applies `commands` and works until idle; returns the rows the core handed out.
    @discardableResult
    static func drive(_ core: inout RunnerCore, _ commands: [SimCommand]) -> (rows: [MetricRow], truncatedAfter: Int?) {
        _ = core.accept(commands)
        while core.work(snapshotWanted: false) == .again { _ = core.accept([]) }
        _ = core.accept([])
        let r = core.takeRows()
        return (r.rows, r.truncatedAfter)
    }

    static func same(_ a: MetricHistory, _ b: MetricHistory) -> Bool {
        guard a.totalRows == b.totalRows, a.latestStep == b.latestStep, a.columns == b.columns else { return false }
        return (0..<a.columns).allSatisfy { j in
            let p = a.points(metric: j), q = b.points(metric: j)
            return p.map(\.x) == q.map(\.x) && bitEqual(p.map(\.yMean), q.map(\.yMean))
        }
    }

    @Test func rewindThenForwardIsBitIdenticalToNeverRewinding() throws {
        var reference = try Self.core()
        let all = Self.drive(&reference, [.step(400)]).rows
        var core = try Self.core()
        Self.drive(&core, [.step(400)])
        #expect(core.saved.points.count > 10)
        let back = Self.drive(&core, [.rewind(1), .rewind(122)])
        #expect(core.session.step == 277)
        #expect(back.truncatedAfter == 277)
        #expect(core.history.latestStep == 270)
        let again = Self.drive(&core, [.step(123)]).rows
        #expect(core.session.step == 400)
        #expect(again.map(\.step) == Array(stride(from: 280, through: 400, by: 10)))
        let want = all.filter { $0.step >= 280 }
        #expect(zip(again, want).allSatisfy { bitEqual($0.values, $1.values) })
        #expect(Self.same(core.history, reference.history))
        #expect(core.forks.isEmpty)
    }

    /// A rule switch ahead of the rewound step is replayed when going forward again.
    @Test func goingForwardReplaysLoggedRuleSwitches() throws {
        var reference = try Self.core()
        Self.drive(&reference, [.step(200), .cycleRule(1), .step(100)])
        var core = try Self.core()
        Self.drive(&core, [.step(200), .cycleRule(1), .step(100), .rewind(150)])
        #expect(core.session.step == 150)
        #expect(core.session.switches.isEmpty)
        Self.drive(&core, [.step(150)])
        #expect(core.session.switches == reference.session.switches)
        #expect(Self.same(core.history, reference.history))
        #expect(core.forks.isEmpty)
    }

    /// A change after a rewind forks: the old future's events and saved states go, the fork
    /// is marked (as a chart marker named `fork`), and the new timeline is deterministic too.
    @Test func aChangeAfterRewindingForksANewHistory() throws {
        var core = try Self.core()
        Self.drive(&core, [.step(200), .cycleRule(1), .step(100), .rewind(150), .cycleRule(1)])
        #expect(core.session.step == 150)
        #expect(core.forks == [150])
        #expect(core.timeline.map(\.step) == [150])
        #expect(core.saved.points.allSatisfy { $0.step <= 150 })
        (core.clock as? ManualClock)?.advance(1)
        let published = core.snapshotIfDue(requested: true, wantViews: false)
        let snap = try #require(published)
        #expect(snap.switches.map(\.rule) == ["fork", core.session.ruleName])
        #expect(snap.rewindDepth == 150)
        // The forked run equals a run that switched at 150 without rewinding.
        Self.drive(&core, [.step(150)])
        var direct = try Self.core()
        Self.drive(&direct, [.step(150), .cycleRule(1), .step(150)])
        #expect(Self.same(core.history, direct.history))
    }

    @Test func bigStepRewindsToTheBoundaryAndTheBudgetBoundsTheDepth() throws {
        var core = try Self.core()
        let unit = core.session.sim.bigStep.steps
        Self.drive(&core, [.step(unit + unit / 2)])
        Self.drive(&core, [.rewindBigStep])
        #expect(core.session.step == unit)
        // A budget of one byte keeps only the newest state: nothing older to go back to.
        var tight = try Self.core(budget: 1)
        Self.drive(&tight, [.step(100)])
        #expect(tight.saved.points.count == 1)
        let step = tight.session.step
        let oldest = try #require(tight.saved.oldestStep)
        Self.drive(&tight, [.rewind(step - oldest + 1)])
        #expect(tight.session.step == step)
        #expect(tight.message?.contains("at most") == true)
    }
}
