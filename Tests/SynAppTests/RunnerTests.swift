import Testing
import SynCore
import SynScenes
@testable import SynApp

/// Watching must not change the dynamics: the same seed gives the same metric rows bit for bit
/// whether the scene runs headless or on the simulation thread with pauses, speed changes,
/// single steps and snapshot requests interleaved.
@Suite struct RunnerTests {
    /// Headless reference: the row at step 0 then every metrics interval.
    func headlessRows(_ spec: SceneSpec, steps: Int, switchRuleAt: Int? = nil) throws -> [MetricRow] {
        var s = try SceneSession(spec: spec)
        var rows = [s.measureRow()]
        if let k = switchRuleAt {
            rows += s.advance(k)
            s.selectRule((s.sim.activeRule + 1) % s.sim.ruleNames.count)
            rows += s.advance(steps - k)
        } else {
            rows += s.advance(steps)
        }
        return rows
    }

    /// Waits (polling with a deadline) for a snapshot at or past `step`.
    func waitForStep(_ runner: SimulationRunner, _ step: Int, timeout: Double = 60) -> Snapshot? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var gen = -1
        while ContinuousClock.now < deadline {
            guard let s = runner.nextSnapshot(after: gen, views: false, timeout: 5) else { continue }
            if s.step >= step { return s }
            gen = s.generation
        }
        return nil
    }

    func expectSameRows(_ snap: Snapshot, _ rows: [MetricRow], upTo steps: Int) {
        let h = snap.history
        for j in 0..<snap.metricNames.count {
            let pts = h.points(metric: j).filter { $0.x <= Double(steps) }
            #expect(pts.allSatisfy { $0.count == 1 }, "raw rows of \(snap.metricNames[j])")
            #expect(pts.map(\.x) == rows.map { Double($0.step) }, "steps of \(snap.metricNames[j])")
            #expect(bitEqual(pts.map(\.yMean), rows.map { $0.values[j] }), "values of \(snap.metricNames[j])")
        }
    }

    @Test func watchingDoesNotChangeTheDynamics() throws {
        let spec = try loadScene("oja")
        let steps = 3000
        let reference = try headlessRows(spec, steps: steps)

        let runner = SimulationRunner(session: try SceneSession(spec: spec), speed: .stepsPerSecond(5000), paused: false)
        runner.start()
        var rng = RNG(seed: 7).stream("test-script")
        for _ in 0..<60 {
            switch rng.next() % 6 {
            case 0: runner.send(.setPaused(rng.next() % 2 == 0))
            case 1: runner.send(.step(Int(rng.next() % 37) + 1))
            case 2: runner.send(.setSpeed(Speed.ladder[Int(rng.next() % UInt64(Speed.ladder.count))]))
            case 3: _ = runner.nextSnapshot(after: runner.generation, views: true, timeout: 2)
            case 4: runner.send(.bigStep)
            default: runner.requestSnapshot(views: rng.next() % 2 == 0)
            }
        }
        runner.send([.setSpeed(.max), .setPaused(false)])
        let snap = try #require(waitForStep(runner, steps))
        runner.stop()
        expectSameRows(snap, reference, upTo: steps)
    }

    @Test func liveRuleSwitchMatchesHeadlessSwitch() throws {
        let spec = try loadScene("oja")
        let reference = try headlessRows(spec, steps: 2000, switchRuleAt: 1000)
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        runner.start()
        runner.send([.step(1000), .cycleRule(1), .step(1000)])
        let snap = try #require(waitForStep(runner, 2000))
        runner.stop()
        #expect(snap.step == 2000)
        #expect(snap.switches.map(\.step) == [1000])
        #expect(snap.switches.map(\.rule) == [spec.model.ruleNames[1]])
        expectSameRows(snap, reference, upTo: 2000)
    }

    @Test func pausedRunnerStepsExactlyWhatItIsAsked() throws {
        let spec = try loadScene("oja")
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        runner.start()
        runner.send([.step(1), .step(2)])
        let s1 = try #require(waitForStep(runner, 3))
        #expect(s1.step == 3)
        #expect(s1.paused)
        // A big step ends on the next multiple of the big-step unit.
        runner.send(.bigStep)
        let unit = s1.bigStep.steps
        let s2 = try #require(waitForStep(runner, unit))
        #expect(s2.step == unit)
        runner.stop()
    }

    @Test func resetAndReseedRebuildTheRun() throws {
        let spec = try loadScene("oja")
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        runner.start()
        runner.send(.step(500))
        _ = try #require(waitForStep(runner, 500))
        runner.send(.reset)
        let r = try #require(runner.nextSnapshot(after: runner.generation, views: true))
        #expect(r.step == 0)
        #expect(r.seed == spec.seed)
        #expect(r.history.totalRows == 1)
        runner.send(.reseed)
        let r2 = try #require(runner.nextSnapshot(after: r.generation, views: true))
        #expect(r2.seed == spec.seed + 1)
        #expect(r2.step == 0)
        runner.stop()
        #expect(runner.isFinished)
    }
}

@Suite struct RunnerDivergenceTests {
    @Test func aDivergedRunPausesItself() throws {
        // Plain Hebb with a huge rate: |w| grows without bound until a metric is not finite.
        let spec = try loadScene("oja", overrides: ["rule.name=hebb", "rule.eta=10"])
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: false)
        runner.start()
        let deadline = ContinuousClock.now + .seconds(60)
        var snap = runner.snapshot
        while !(snap.divergence != nil && snap.paused) && ContinuousClock.now < deadline {
            snap = runner.nextSnapshot(after: snap.generation, views: false, timeout: 0.5) ?? runner.snapshot
        }
        #expect(snap.divergence != nil)
        #expect(snap.paused)
        #expect(snap.commandsApplied == runner.commandsSent)
        // It stays put while paused.
        let step = snap.step
        runner.send(.step(0))
        let again = runner.nextSnapshot(after: snap.generation, views: false, timeout: 5)
        #expect(again?.step == step)
        runner.stop()
    }
}

@Suite struct RunnerViewsTests {
    @Test func viewsFollowTheStepAfterAFrozenStretch() throws {
        let spec = try loadScene("oja")
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        runner.start()
        // Frozen UI: snapshots without views while stepping.
        runner.send(.step(7))
        var snap = runner.snapshot
        let deadline = ContinuousClock.now + .seconds(30)
        while snap.step < 7 && ContinuousClock.now < deadline {
            snap = runner.nextSnapshot(after: snap.generation, views: false, timeout: 0.5) ?? runner.snapshot
        }
        #expect(snap.step == 7)
        #expect(snap.viewsStep == 0)
        // Unfrozen: asking for views brings them up to the current step although nothing changed.
        let fresh = try #require(runner.nextSnapshot(after: snap.generation, views: true, timeout: 10))
        #expect(fresh.step == 7)
        #expect(fresh.viewsStep == 7)
        runner.stop()
    }
}
