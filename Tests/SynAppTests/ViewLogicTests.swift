import Testing
import SynCore
import SynModels
import SynScenes
import TerminalBackend
import TUICore
@testable import SynApp

/// Paging, the chart window, the mouse wheel and clicks (`ViewLogic`), and what the renderer
/// makes of them.
@Suite struct ViewLogicTests {
    let panels = [
        PanelSpec(title: "a", content: .chart(metrics: ["x"], logY: false, range: nil), row: 0),
        PanelSpec(title: "b", content: .view("weights"), row: 0),
        PanelSpec(title: "c", content: .teaching, row: 1),
    ]
    var start: AppState { AppState(panels: panels, size: TerminalSize(width: 120, height: 40)) }

    func run(_ events: [InputEvent], from state: AppState) -> (AppState, [AppEffect]) {
        var s = state
        var all: [AppEffect] = []
        for e in events {
            let (next, effects) = AppLogic.reduce(s, e)
            s = next
            all += effects
        }
        return (s, all)
    }

    @Test func pageKeysPageTheFocusedViewAndStillScrollTeaching() {
        var s = start
        s.focus = 1
        (s, _) = run([.key(.pageDown), .key(.pageDown), .key(.pageUp)], from: s)
        #expect(s.view.pages[1] == 1)
        s.focus = 2
        s.teachingScrollLimit = 20
        (s, _) = run([.key(.pageDown)], from: s)
        #expect(s.teachingScroll == 5 && s.view.pages[2] == nil)
    }

    @Test func wKeyTogglesTheWindowAndEscClearsAReadout() {
        var (s, effects) = run([.key(.char("w"))], from: start)
        #expect(s.view.window && effects.isEmpty)
        let chart = s.layout.panels[0]
        (s, _) = run([.mouse(x: chart.x + 10, y: chart.y + 3)], from: s)
        #expect(s.view.cursor == ChartCursor(panel: 0, x: chart.x + 10) && s.focus == 0)
        (s, _) = run([.mouse(x: chart.x + 10, y: chart.y + 5)], from: s)
        #expect(s.view.cursor == nil, "a second click on the same column clears the readout")
        (s, _) = run([.mouse(x: chart.x + 12, y: chart.y + 3), .key(.escape)], from: s)
        #expect(s.view.cursor == nil && s.view.window)
    }

    @Test func wheelScrollsTheTeachingTextPagesViewsAndScrollsHelp() {
        var s = start
        s.teachingScrollLimit = 4
        let teaching = s.layout.panels[2], view = s.layout.panels[1]
        (s, _) = run([.wheel(x: teaching.x + 2, y: teaching.y + 2, delta: 1), .wheel(x: teaching.x + 2, y: teaching.y + 2, delta: 1)],
                     from: s)
        #expect(s.teachingScroll == 4, "clamped at the limit")
        (s, _) = run([.wheel(x: view.x + 2, y: view.y + 2, delta: -1)], from: s)
        #expect(s.view.pages[1] == -1)
        s.showHelp = true
        s.helpScrollLimit = 10
        (s, _) = run([.wheel(x: 1, y: 1, delta: 1)], from: s)
        #expect(s.helpScroll == 3 && s.showHelp)
    }

    @Test func clickTargetsSelectControlsRulesAndKeys() {
        var s = start
        s.view.targets = [ClickTarget(x: 10, y: 30, width: 12, action: .selectControl(2)),
                          ClickTarget(x: 40, y: 30, width: 4, action: .selectRule("hebb")),
                          ClickTarget(x: 0, y: 39, width: 6, action: .key(.char("?")))]
        var (t, effects) = run([.mouse(x: 15, y: 30)], from: s)
        #expect(t.selectedControl == 2 && effects.isEmpty)
        (t, effects) = run([.mouse(x: 41, y: 30)], from: s)
        #expect(effects == [.sim(.selectRule("hebb"))])
        (t, effects) = run([.mouse(x: 2, y: 39)], from: s)
        #expect(t.showHelp)
        s.view.targets = []
        (t, _) = run([.mouse(x: 2, y: 39)], from: s)
        #expect(!t.showHelp)
    }

    @Test func theRendererOffersKeyBarControlAndRuleTargets() throws {
        let spec = try loadScene("oja")
        var session = try SceneSession(spec: spec)
        let history = MetricHistory.starting(with: &session)
        var snap = Snapshot.capture(session: session, history: history)
        snap.controls = [Control(name: "eta", value: 0.01, range: 1e-6...10, step: 0.0025),
                         Control(name: "gain", value: 1, range: 0...4, step: 0.5)]
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 120, height: 40), paused: true)
        let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description)
        let targets = DashboardRenderer.clickTargets(state: state, shown: snap, live: snap, context: context, theme: .default)
        #expect(targets.contains { $0.action == .key(.char("?")) && $0.x == 0 && $0.y == 39 })
        #expect(targets.contains { $0.action == .key(.char("q")) })
        #expect(targets.contains { $0.action == .selectControl(1) })
        let rules = targets.filter { if case .selectRule = $0.action { true } else { false } }
        #expect(snap.ruleNames.count > 1 && snap.ruleNames.allSatisfy { n in rules.contains { $0.action == .selectRule(n) } },
                "\(rules)")
        // Clicking where the renderer put "gain" selects it.
        state.view.targets = targets
        let gain = try #require(targets.first { $0.action == .selectControl(1) })
        let (after, _) = AppLogic.reduce(state, .mouse(x: gain.x + 1, y: gain.y))
        #expect(after.selectedControl == 1)
    }

    @Test func theWindowShowsTheLastRowsAndSaysSoInTheTitle() throws {
        let spec = try loadScene("oja")
        var session = try SceneSession(spec: spec)
        var history = MetricHistory.starting(with: &session)
        for _ in 0..<300 { history.append(session.advance(spec.metricsEvery)) }
        let snap = Snapshot.capture(session: session, history: history)
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 120, height: 40), paused: true)
        state.view.window = true
        var b = Buffer(width: 120, height: 40)
        let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description,
                                   metricsEvery: spec.metricsEvery)
        DashboardRenderer.render(state: state, live: snap, shown: snap, context: context, theme: .default, into: &b)
        let n = ViewLogic.windowSteps(metricsEvery: spec.metricsEvery)
        let text = b.plainText
        #expect(text.contains("(last " + NumberFormat.compact(Double(n)) + ")"), "\(text)")
        // The x axis starts N steps before the end, not at 0.
        let start = NumberFormat.compact(Double(300 * spec.metricsEvery - n))
        #expect(b.lines.contains { $0.contains("└" + start) }, "\(text)")
    }
}

/// Which colours the terminal gets for `--colors` and `$COLORTERM`.
@Suite struct ColorModeChoiceTests {
    func mode(_ r: ColorRequest, _ n: Int, ansi: Bool = true, _ colorterm: String? = nil) -> ColorMode {
        NcursesTerminal.colorMode(request: r, terminfoColors: n, writesANSI: ansi, colorterm: colorterm)
    }

    @Test func truecolorIsGivenWhenAskedOrAnnouncedAndWrittenDirectly() {
        #expect(mode(.truecolor, 256) == .truecolor)
        #expect(mode(.auto, 256, "truecolor") == .truecolor)
        #expect(mode(.auto, 256, "24bit") == .truecolor)
        #expect(mode(.auto, 256) == .palette256)
        #expect(mode(.auto, 256, "yes") == .palette256)
        // Through ncurses only a direct-colour terminfo entry can show 24-bit colour.
        #expect(mode(.truecolor, 256, ansi: false) == .palette256)
        #expect(mode(.truecolor, 0x100_0000, ansi: false) == .truecolor)
        #expect(mode(.auto, 256, ansi: false, "truecolor") == .palette256)
    }

    @Test func smallerRequestsAndTerminalsWin() {
        #expect(mode(.none, 256, "truecolor") == .monochrome)
        #expect(mode(.palette16, 256) == .palette16)
        #expect(mode(.auto, 8) == .palette16)
        #expect(mode(.auto, 0, "truecolor") == .monochrome)
        #expect(mode(.palette256, 256) == .palette256)
    }
}
