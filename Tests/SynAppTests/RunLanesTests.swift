import Testing
import Foundation
@testable import SynApp
import SynScenes
import TerminalBackend
import TUICore

/// A rule race (`--race`, `:race`) and a seed ensemble (`--ensemble`, `:ensemble`) in the
/// dashboard: the lanes follow the run and equal plain runs of their rules or seeds; the frame
/// overlays a race's lines and draws an ensemble's band and mean.
@Suite struct RunLanesTests {
    /// Waits until every lane reached `step` (or 60 s passed).
    func settle(_ lanes: RunLanes, at step: Int) -> [RunLanes.Lane] {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let l = lanes.lanes
            if l.allSatisfy({ $0.step == step }) { return l }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return lanes.lanes
    }

    /// The last metrics row of a plain run of `rule` (nil: the scene's), with `events` applied at
    /// their steps.
    func plain(_ spec: SceneSpec, seed: UInt64, rule: String?, to step: Int, events: [SessionEvent] = []) throws -> [Double] {
        var s = try SceneSession(spec: spec, seed: seed)
        if let rule {
            let selected = s.selectRule(named: rule)
            #expect(selected)
        }
        var rows = [s.measureRow()]
        for e in events {
            rows += s.advance(e.step - s.step)
            _ = s.apply(e)
        }
        rows += s.advance(step - s.step)
        return rows.last?.values ?? []
    }

    @Test func aLaneEqualsAPlainRunOfItsRuleAndFollowsTheRunBack() throws {
        let spec = try loadScene("oja")
        let lanes = try RunLanes(spec: spec, seed: 3, rules: ["hebb", "covariance"], mainRule: "oja")
        lanes.start()
        defer { lanes.stop() }
        lanes.follow(step: 700, seed: 3, events: [], views: true)
        let at700 = settle(lanes, at: 700)
        #expect(at700.map(\.rule) == ["hebb", "covariance"])
        for lane in at700 {
            #expect(bitEqual(lane.history.latest ?? [], try plain(spec, seed: 3, rule: lane.rule, to: 700)), "\(lane.rule)")
        }
        // The run went back (a rewind): the lanes start over and land on the same numbers.
        lanes.follow(step: 300, seed: 3, events: [], views: false)
        for lane in settle(lanes, at: 300) {
            #expect(lane.history.latestStep == 300)
            #expect(bitEqual(lane.history.latest ?? [], try plain(spec, seed: 3, rule: lane.rule, to: 300)), "\(lane.rule)")
        }
    }

    @Test func theRunsControlChangesAreReplayedAtTheirSteps() throws {
        let spec = try loadScene("mlp-digits")
        let events = [SessionEvent(step: 40, kind: .control("eta", 0.05)), SessionEvent(step: 40, kind: .rule("momentum"))]
        let lanes = try RunLanes(spec: spec, seed: 2, rules: ["feedback_alignment"], mainRule: "backprop")
        lanes.start()
        defer { lanes.stop() }
        lanes.follow(step: 1000, seed: 2, events: events, views: false)
        let lane = try #require(settle(lanes, at: 1000).first)
        // Only the control is replayed: the run's own rule switch is not the lane's.
        let expected = try plain(spec, seed: 2, rule: "feedback_alignment", to: 1000, events: [events[0]])
        #expect(bitEqual(lane.history.latest ?? [], expected))
        #expect(!bitEqual(expected, try plain(spec, seed: 2, rule: "feedback_alignment", to: 1000)), "the control mattered")
    }

    @Test func unknownRulesAndTheRunsOwnRuleAreRefused() throws {
        let spec = try loadScene("oja")
        #expect(throws: SceneError.self) { _ = try RunLanes(spec: spec, seed: 1, rules: ["nope"], mainRule: "oja") }
        #expect(throws: SceneError.self) { _ = try RunLanes(spec: spec, seed: 1, rules: ["oja"], mainRule: "oja") }
    }

    @Test func raceCommandsAskForLanes() {
        var s = AppState(panels: [], size: TerminalSize(width: 80, height: 24))
        s.ruleNames = ["oja", "hebb", "covariance"]
        #expect(AppLogic.run(command: "race hebb,covariance", in: s).1 == [.race(rules: ["hebb", "covariance"])])
        #expect(AppLogic.run(command: "race off", in: s).1 == [.race(rules: [])])
        let (bad, fx) = AppLogic.run(command: "race nope", in: s)
        #expect(fx.isEmpty && bad.notice?.isError == true && bad.notice?.text.contains("unknown rule") == true)
    }

    /// Runs a paused dashboard on `spec` at 140x44, one key per frame, until `q`.
    func drive(_ spec: SceneSpec, keys: [Key]) throws -> (DashboardApp, SimulationRunner, MemoryBackend) {
        let backend = MemoryBackend(size: TerminalSize(width: 140, height: 44), waitsForTimeout: true)
        for (i, k) in keys.enumerated() { backend.schedule(.key(k), afterFrames: i + 1) }
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        let app = DashboardApp(spec: spec, runner: runner, backend: backend, options: DashboardOptions(fps: 60, paused: true))
        #expect(app.run(maxSeconds: 60) == .quit)
        runner.stop()
        return (app, runner, backend)
    }

    @Test func theDashboardOverlaysTheLanesAndShowsViewsSideBySide() throws {
        let spec = try loadScene("oja")
        // One key per frame (each redraws): three big steps, ":race hebb", another big step, quit.
        let keys: [Key] = [.char("N"), .char("N"), .char("N")] + ":race hebb".map { .char($0) } + [.enter, .char("N"), .char("q")]
        let (app, runner, backend) = try drive(spec, keys: keys)
        let lanes = try #require(app.lanes?.lanes)
        #expect(lanes.map(\.rule) == ["hebb"])
        #expect((lanes.first?.step ?? -1) <= runner.snapshot.step)
        // Every chart's legend names both rules.
        #expect(backend.text.contains("oja") && backend.text.contains("hebb"))
        let legendRows = backend.text.split(separator: "\n").filter { $0.contains("oja") && $0.contains("hebb") }
        #expect(legendRows.count >= 2, "\(backend.text)")
    }

    @Test func anEnsembleLaneEqualsAPlainRunOfItsSeedWithEveryChangeReplayed() throws {
        let spec = try loadScene("mlp-digits")
        // The run's rule switch and control change are both replayed in an ensemble.
        let events = [SessionEvent(step: 40, kind: .control("eta", 0.05)), SessionEvent(step: 40, kind: .rule("momentum"))]
        let lanes = try RunLanes(spec: spec, seeds: [5, 7], runSeed: 2)
        #expect(lanes.kind == .seeds([5, 7]))
        lanes.start()
        defer { lanes.stop() }
        lanes.follow(step: 1000, seed: 2, events: events, views: true)
        let settled = settle(lanes, at: 1000)
        #expect(settled.map(\.label) == ["seed 5", "seed 7"])
        #expect(settled.map(\.rule) == ["momentum", "momentum"])
        for lane in settled {
            #expect(lane.views.isEmpty, "an ensemble draws no views")
            #expect(bitEqual(lane.history.latest ?? [], try plain(spec, seed: lane.seed, rule: nil, to: 1000, events: events)))
        }
        #expect(!bitEqual(settled[0].history.latest ?? [], settled[1].history.latest ?? []), "the seeds differ")
        // A reset of the run (here: a new seed) sends the lanes back to step 0 with their own seeds.
        lanes.follow(step: 200, seed: 9, events: [], views: false)
        for lane in settle(lanes, at: 200) {
            #expect(bitEqual(lane.history.latest ?? [], try plain(spec, seed: lane.seed, rule: nil, to: 200)))
        }
    }

    @Test func anEnsembleRefusesTheRunsOwnSeedAndRepeats() throws {
        let spec = try loadScene("oja")
        #expect(throws: SceneError.self) { _ = try RunLanes(spec: spec, seeds: [1, 2], runSeed: 2) }
        #expect(throws: SceneError.self) { _ = try RunLanes(spec: spec, seeds: [3, 3], runSeed: 1) }
    }

    @Test func ensembleCommandsAskForLanes() {
        let s = AppState(panels: [], size: TerminalSize(width: 80, height: 24))
        #expect(AppLogic.run(command: "ensemble 2-4", in: s).1 == [.ensemble(seeds: [2, 3, 4])])
        #expect(AppLogic.run(command: "ensemble 2, 9", in: s).1 == [.ensemble(seeds: [2, 9])])
        #expect(AppLogic.run(command: "ensemble off", in: s).1 == [.ensemble(seeds: [])])
        for bad in ["ensemble", "ensemble x", "ensemble 1-40"] {
            let (state, fx) = AppLogic.run(command: bad, in: s)
            #expect(fx.isEmpty && state.notice?.isError == true && state.notice?.text.hasPrefix(":ensemble: ") == true, "\(bad)")
        }
    }

    @Test func theBandSpansTheLanesThatReachedEachPoint() {
        let band = EnsembleBand(xs: [0, 10, 20], run: [1, 2, .nan],
                                lanes: [(xs: [0, 20], ys: [3, 5]), (xs: [0, 5], ys: [0, 1])])
        // x = 0: run 1, lanes 3 and 0. x = 10: run 2, lane one interpolated 4, lane two stopped at 5.
        // x = 20: the run is undefined, lane one 5.
        #expect(band.lower == [0, 2, 5])
        #expect(band.upper == [3, 4, 5])
        #expect(band.mean == [4.0 / 3, 3, 5])
        let empty = EnsembleBand(xs: [0], run: [.nan], lanes: [])
        #expect(empty.mean[0].isNaN && empty.lower[0].isNaN)
        #expect(EnsembleBand.interpolate([0, 2, 4], [0, 10, 30], at: 3) == 20)
        #expect(EnsembleBand.interpolate([0, 2, 4], [0, 10, 30], at: 4) == 30)
        #expect(EnsembleBand.interpolate([0, 2, 4], [0, 10, 30], at: 4.5) == nil)
    }

    @Test func theDashboardDrawsAnEnsemblesBandAndMean() throws {
        let spec = try loadScene("oja")
        // Three big steps, ":ensemble 2,3", two more big steps, a bad ":ensemble 1" (the run's own
        // seed: refused, the running ensemble stays), quit.
        let keys: [Key] = [.char("N"), .char("N"), .char("N")] + ":ensemble 2,3".map { .char($0) }
            + [.enter, .char("N"), .char("N")] + ":ensemble 1".map { .char($0) } + [.enter, .char("q")]
        let (app, _, backend) = try drive(spec, keys: keys)
        let lanes = try #require(app.lanes?.lanes)
        #expect(lanes.map(\.label) == ["seed 2", "seed 3"])
        #expect(backend.text.contains("seed 1 is the run's own"), "\(backend.text)")
        // Every chart's legend names the run's seed and the mean; the band's edges are unnamed.
        // (oja's two charts sit side by side: both legends are on one row.)
        let legendRows = backend.text.split(separator: "\n").filter { $0.contains("mean of 3 seeds") }
        #expect(legendRows.map { $0.components(separatedBy: "mean of 3 seeds").count - 1 }.reduce(0, +) >= 2, "\(backend.text)")
        #expect(legendRows.allSatisfy { $0.contains("seed \(spec.seed)") })
        #expect(!backend.text.contains("seed 2") && !backend.text.contains("seed 3"), "lanes are in the band, not the legend")
    }
}
