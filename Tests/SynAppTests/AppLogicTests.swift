import Testing
import SynScenes
import TerminalBackend
import TUICore
@testable import SynApp

/// The pure update function, driven by scripted event sequences.
@Suite struct AppLogicTests {
    let panels = [
        PanelSpec(title: "a", content: .chart(metrics: ["x"], logY: false, range: nil), row: 0),
        PanelSpec(title: "b", content: .view("weights"), row: 0),
        PanelSpec(title: "c", content: .teaching, row: 1),
    ]

    func run(_ events: [InputEvent], from state: AppState? = nil) -> (AppState, [SimCommand]) {
        var s = state ?? AppState(panels: panels, size: TerminalSize(width: 120, height: 40))
        var all: [SimCommand] = []
        for e in events {
            let (next, cmds) = AppLogic.update(s, e)
            s = next
            all += cmds
        }
        return (s, all)
    }

    func keys(_ text: String) -> [InputEvent] { text.map { .key(.char($0)) } }

    @Test func spaceTogglesPauseAndSendsIt() {
        let (s, cmds) = run(keys("  "))
        #expect(!s.paused)
        #expect(cmds == [.setPaused(true), .setPaused(false)])
    }

    @Test func singleStepsPauseFirstThenStep() {
        let (s, cmds) = run(keys("n.N"))
        #expect(s.paused)
        #expect(cmds == [.setPaused(true), .step(1), .step(1), .bigStep])
    }

    @Test func speedLadderClampsAtBothEnds() {
        let start = AppState(panels: panels, size: TerminalSize(width: 120, height: 40), speed: .max)
        let (faster, up) = run(keys("+"), from: start)
        #expect(faster.speed == .max)
        #expect(up == [.setSpeed(.max)])
        let (slow, cmds) = run(keys(String(repeating: "-", count: Speed.ladder.count + 3)), from: start)
        #expect(slow.speedIndex == 0)
        #expect(slow.speed == .stepsPerSecond(1))
        #expect(cmds.last == .setSpeed(.stepsPerSecond(1)))
        let (back, _) = run(keys("++"), from: slow)
        #expect(back.speed == .stepsPerSecond(5))
    }

    @Test func rulesCycleRelativelyAndControlsNudgeTheFirstControl() {
        let (_, cmds) = run(keys("rRr[]<>"))
        #expect(cmds == [.cycleRule(1), .cycleRule(-1), .cycleRule(1),
                         .nudgeControl(index: 0, steps: -1), .nudgeControl(index: 0, steps: 1),
                         .nudgeControl(index: 0, steps: -1), .nudgeControl(index: 0, steps: 1)])
    }

    @Test func focusCyclesAndZoomToggles() {
        let (s1, c1) = run([.key(.tab), .key(.tab), .key(.tab), .key(.tab)])
        #expect(s1.focus == 1)
        #expect(c1.isEmpty)
        let (s2, _) = run([.key(.backTab)])
        #expect(s2.focus == 2)
        let (s3, _) = run([.key(.tab), .key(.enter)])
        #expect(s3.zoomed)
        #expect(s3.layout.panels[1] == s3.layout.body)
        #expect(s3.layout.panels[0].isEmpty)
        let (s4, _) = run([.key(.tab), .key(.char("z")), .key(.char("z"))])
        #expect(!s4.zoomed)
    }

    @Test func freezeHelpResetReseedAndQuit() {
        let (s, cmds) = run(keys("f?0s"))
        #expect(s.frozen)
        #expect(s.showHelp)
        #expect(cmds == [.reset, .reseed])
        let (closed, _) = run([.key(.escape)], from: s)
        #expect(!closed.showHelp)
        let (q, qc) = run(keys("q"), from: closed)
        #expect(q.quitting)
        #expect(qc == [.quit])
    }

    @Test func mouseClickFocusesThePanelUnderIt() {
        let start = AppState(panels: panels, size: TerminalSize(width: 120, height: 40))
        let target = start.layout.panels[2]
        let (s, cmds) = run([.mouse(x: target.x + 3, y: target.y + 2)], from: start)
        #expect(s.focus == 2)
        #expect(cmds.isEmpty)
        // Clicks on the status bar change nothing.
        let (s2, _) = run([.mouse(x: 5, y: 0)], from: s)
        #expect(s2.focus == 2)
    }

    @Test func resizeChangesTheLayout() {
        let (s, _) = run([.resize(TerminalSize(width: 60, height: 20))])
        #expect(s.size == TerminalSize(width: 60, height: 20))
        #expect(s.layout.fits)
        let (tiny, _) = run([.resize(TerminalSize(width: 59, height: 20))])
        #expect(!tiny.layout.fits)
    }

    @Test func arrowsScrollOnlyTheFocusedTeachingPanel() {
        // Focus is on the chart (panel 0): arrows do nothing.
        let (s0, _) = run([.key(.down)])
        #expect(s0.teachingScroll == 0)
        // Panel 2 is the teaching panel (the app sets the limit after drawing).
        var start = AppState(panels: panels, size: TerminalSize(width: 120, height: 40))
        start.teachingScrollLimit = 100
        let (s1, c1) = run([.key(.tab), .key(.tab), .key(.down), .key(.down), .key(.pageDown), .key(.up)], from: start)
        #expect(s1.teachingScroll == 6)
        #expect(c1.isEmpty)
        let (s2, _) = run([.key(.pageUp), .key(.pageUp)], from: s1)
        #expect(s2.teachingScroll == 0)
    }

    @Test func unknownKeysDoNothing() {
        let start = AppState(panels: panels, size: TerminalSize(width: 120, height: 40))
        let (s, cmds) = run([.key(.char("x")), .key(.function(5)), .key(.other(999))], from: start)
        #expect(s == start)
        #expect(cmds.isEmpty)
    }
}

@Suite struct DashboardLayoutTests {
    func spec(_ row: Int, weight: Int = 1) -> PanelSpec {
        PanelSpec(title: "p", content: .teaching, weight: weight, row: row)
    }

    @Test func rowsShareTheBodyAndPanelsSplitByWeight() {
        let l = DashboardLayout(panels: [spec(0), spec(0, weight: 3), spec(1)], size: TerminalSize(width: 120, height: 40))
        #expect(l.statusBar == Rect(x: 0, y: 0, width: 120, height: 1))
        #expect(l.keyBar == Rect(x: 0, y: 39, width: 120, height: 1))
        #expect(l.body == Rect(x: 0, y: 1, width: 120, height: 38))
        #expect(l.panels[0] == Rect(x: 0, y: 1, width: 30, height: 19))
        #expect(l.panels[1] == Rect(x: 30, y: 1, width: 90, height: 19))
        #expect(l.panels[2] == Rect(x: 0, y: 20, width: 120, height: 19))
    }

    @Test func rowIndicesNeedNotBeContiguous() {
        let l = DashboardLayout(panels: [spec(5), spec(2)], size: TerminalSize(width: 80, height: 24))
        // Row 2 comes first (top), row 5 below it.
        #expect(l.panels[1].y == 1)
        #expect(l.panels[0].y == 1 + l.panels[1].height)
        #expect(l.panels[0].height + l.panels[1].height == 22)
    }

    @Test func panelsTileTheBodyExactly() {
        for (w, h) in [(60, 16), (61, 17), (120, 40), (233, 71)] {
            let l = DashboardLayout(panels: [spec(0), spec(0, weight: 2), spec(1), spec(1), spec(1), spec(2)],
                                    size: TerminalSize(width: w, height: h))
            #expect(l.panels.reduce(0) { $0 + $1.area } == l.body.area, "\(w)x\(h)")
            for a in l.panels.indices {
                for b in l.panels.indices where b > a {
                    #expect(l.panels[a].intersection(l.panels[b]).isEmpty)
                }
            }
        }
    }

    @Test func belowTheMinimumNothingIsPlaced() {
        let l = DashboardLayout(panels: [spec(0)], size: TerminalSize(width: 80, height: 15))
        #expect(!l.fits)
        #expect(l.panels == [.zero])
        #expect(l.panel(atX: 1, y: 1) == nil)
    }
}
