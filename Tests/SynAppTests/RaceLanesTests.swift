import Testing
import Foundation
@testable import SynApp
import SynScenes
import TerminalBackend
import TUICore

/// A rule race in the dashboard (`--race`, `:race`): the lanes follow the run and equal plain
/// runs of their rules; the frame overlays them.
@Suite struct RaceLanesTests {
    /// Waits until every lane reached `step` (or 60 s passed).
    func settle(_ lanes: RaceLanes, at step: Int) -> [RaceLanes.Lane] {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let l = lanes.lanes
            if l.allSatisfy({ $0.step == step }) { return l }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return lanes.lanes
    }

    /// The last metrics row of a plain run of `rule`, with `events` applied at their steps.
    func plain(_ spec: SceneSpec, seed: UInt64, rule: String, to step: Int, events: [SessionEvent] = []) throws -> [Double] {
        var s = try SceneSession(spec: spec, seed: seed)
        let selected = s.selectRule(named: rule)
        #expect(selected)
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
        let lanes = try RaceLanes(spec: spec, seed: 3, rules: ["hebb", "covariance"], mainRule: "oja")
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
        let lanes = try RaceLanes(spec: spec, seed: 2, rules: ["feedback_alignment"], mainRule: "backprop")
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
        #expect(throws: SceneError.self) { _ = try RaceLanes(spec: spec, seed: 1, rules: ["nope"], mainRule: "oja") }
        #expect(throws: SceneError.self) { _ = try RaceLanes(spec: spec, seed: 1, rules: ["oja"], mainRule: "oja") }
    }

    @Test func raceCommandsAskForLanes() {
        var s = AppState(panels: [], size: TerminalSize(width: 80, height: 24))
        s.ruleNames = ["oja", "hebb", "covariance"]
        #expect(AppLogic.run(command: "race hebb,covariance", in: s).1 == [.race(rules: ["hebb", "covariance"])])
        #expect(AppLogic.run(command: "race off", in: s).1 == [.race(rules: [])])
        let (bad, fx) = AppLogic.run(command: "race nope", in: s)
        #expect(fx.isEmpty && bad.notice?.isError == true && bad.notice?.text.contains("unknown rule") == true)
    }

    @Test func theDashboardOverlaysTheLanesAndShowsViewsSideBySide() throws {
        let spec = try loadScene("oja")
        let backend = MemoryBackend(size: TerminalSize(width: 140, height: 44), waitsForTimeout: true)
        // One key per frame (each redraws): three big steps, ":race hebb", another big step, quit.
        let keys: [Key] = [.char("N"), .char("N"), .char("N")] + ":race hebb".map { .char($0) } + [.enter, .char("N"), .char("q")]
        for (i, k) in keys.enumerated() { backend.schedule(.key(k), afterFrames: i + 1) }
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        let app = DashboardApp(spec: spec, runner: runner, backend: backend, options: DashboardOptions(fps: 60, paused: true))
        #expect(app.run(maxSeconds: 60) == .quit)
        runner.stop()
        let lanes = try #require(app.race?.lanes)
        #expect(lanes.map(\.rule) == ["hebb"])
        #expect((lanes.first?.step ?? -1) <= runner.snapshot.step)
        // Every chart's legend names both rules.
        #expect(backend.text.contains("oja") && backend.text.contains("hebb"))
        let legendRows = backend.text.split(separator: "\n").filter { $0.contains("oja") && $0.contains("hebb") }
        #expect(legendRows.count >= 2, "\(backend.text)")
    }
}
