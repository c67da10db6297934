import Testing
@testable import SynApp
import SynScenes
import TerminalBackend
import TUICore
import TUIWidgets

/// The timeline (`T`, `:goto`): keys, the scrub bar, clicks, and the real loop.
@Suite struct TimelineTests {
    func state() -> AppState {
        var s = AppState(panels: [], size: TerminalSize(width: 100, height: 30), paused: true)
        s.timeline = TimelineFacts(oldest: 100, step: 400, frontier: 1000)
        return s
    }

    @Test func tOpensAndTheKeysMoveAlongTheTimeline() {
        var (s, fx) = AppLogic.reduce(state(), .key(.char("T")))
        #expect(s.timelineOpen && fx.isEmpty)
        (_, fx) = AppLogic.reduce(s, .key(.left))
        #expect(fx == [.sim(.rewind(1))])
        (_, fx) = AppLogic.reduce(s, .key(.right))
        #expect(fx == [.sim(.step(1))])
        (_, fx) = AppLogic.reduce(s, .key(.home))
        #expect(fx == [.sim(.goTo(100))])
        (_, fx) = AppLogic.reduce(s, .key(.end))
        #expect(fx == [.sim(.goTo(1000))])
        (_, fx) = AppLogic.reduce(s, .key(.pageUp))
        #expect(fx == [.sim(.rewindBigStep)])
        (s, _) = AppLogic.reduce(s, .key(.escape))
        #expect(!s.timelineOpen)
        // Closed, left moves the panel focus again.
        (_, fx) = AppLogic.reduce(s, .key(.left))
        #expect(fx.isEmpty)
    }

    @Test func movingWhileRunningPausesFirst() {
        var s = state()
        s.paused = false
        s.timelineOpen = true
        let (next, fx) = AppLogic.reduce(s, .key(.left))
        #expect(next.paused)
        #expect(fx == [.sim(.setPaused(true)), .sim(.rewind(1))])
    }

    @Test(arguments: [("goto 1200", [AppEffect.sim(.goTo(1200))]), ("goto -50", [.sim(.rewind(50))]),
                      ("goto +7", [.sim(.step(7))]), ("g 0", [.sim(.goTo(0))])])
    func gotoGoesToAStep(command: String, effects: [AppEffect]) {
        let (_, fx) = AppLogic.run(command: command, in: state())
        #expect(fx == effects)
    }

    @Test func aBadGotoSaysWhatItExpects() {
        let (s, fx) = AppLogic.run(command: "goto ten", in: state())
        #expect(fx.isEmpty)
        #expect(s.notice?.isError == true)
        #expect(s.notice?.text.contains(":goto") == true)
    }

    @Test func theBarMapsStepsToColumnsAndBack() {
        let bar = TimelineBar(oldest: 100, frontier: 1000, step: 400)
        #expect(bar.column(of: 100, width: 31) == 0)
        #expect(bar.column(of: 1000, width: 31) == 30)
        #expect(bar.step(atColumn: 0, width: 31) == 100)
        #expect(bar.step(atColumn: 30, width: 31) == 1000)
        for c in 0..<31 { #expect(bar.column(of: bar.step(atColumn: c, width: 31), width: 31) == c) }
    }

    @Test func theBarRendersTheKeptRangeTheKnobAndForks() {
        var buffer = Buffer(width: 24, height: 1)
        buffer.render(TimelineBar(oldest: 0, frontier: 100, step: 50, marks: [80]), in: buffer.area, theme: .default)
        #expect(buffer.plainText == "0 " + String(repeating: "━", count: 9) + "●────┃─── 100")
    }

    @Test func clickingTheBarGoesToTheStepUnderThePointer() {
        var s = state()
        s.timelineOpen = true
        let row = Rect(x: 0, y: 29, width: 100, height: 1)
        let targets = TimelineLogic.clickTargets(s.timeline, row: row)
        #expect(!targets.isEmpty)
        s.view.targets = targets
        guard let first = targets.first, let last = targets.last else { return }
        #expect(ViewLogic.click(s, x: first.x, y: 29).1 == [.sim(.goTo(100))])
        #expect(ViewLogic.click(s, x: last.x, y: 29).1 == [.sim(.goTo(1000))])
    }

    @Test func theRealLoopRewindsAlongTheTimelineAndShowsIt() throws {
        let spec = try loadScene("oja")
        let backend = MemoryBackend(size: TerminalSize(width: 120, height: 40), waitsForTimeout: true)
        for f in 1...5 { backend.schedule(.key(.char("n")), afterFrames: f) }
        backend.schedule(.key(.char("T")), afterFrames: 6)
        backend.schedule(.key(.left), afterFrames: 7)
        backend.schedule(.key(.left), afterFrames: 8)
        backend.schedule(.key(.char("q")), afterFrames: 12)
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        let app = DashboardApp(spec: spec, runner: runner, backend: backend, options: DashboardOptions(fps: 60, paused: true))
        #expect(app.run(maxSeconds: 30) == .quit)
        runner.stop()
        #expect(runner.snapshot.step == 3)
        #expect(runner.snapshot.frontier == 5)
        #expect(app.state.timelineOpen)
        #expect(backend.text.contains("step 3"))
        #expect(backend.text.contains("T close"))
    }
}
