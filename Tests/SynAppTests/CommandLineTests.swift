import Testing
import SynModels
import SynScenes
import TerminalBackend
import TUICore
@testable import SynApp

/// The control selector, scroll limits, the `:` command line (editing, completion, parsing)
/// and the scene picker, through the pure `reduce`.
@Suite struct CommandLineTests {
    let panels = [
        PanelSpec(title: "a", content: .chart(metrics: ["x"], logY: false, range: nil), row: 0),
        PanelSpec(title: "c", content: .teaching, row: 1),
    ]

    func state() -> AppState {
        var s = AppState(panels: panels, size: TerminalSize(width: 80, height: 24))
        s.controls = [Control(name: "eta", value: 0.1, range: 0...1, step: 0.1),
                      Control(name: "flip_fraction", value: 0, range: 0...1, step: 0.05),
                      Control(name: "activation", value: 0, range: 0...2, step: 1, labels: ["tanh", "relu", "linear"])]
        s.ruleNames = ["bp", "fa", "curl"]
        s.sceneKeys = ["seed", "rule.eta", "rule.name", "network.sizes"]
        s.sceneNames = ["oja", "cuba", "curl-descent"]
        return s
    }

    func run(_ events: [InputEvent], from start: AppState? = nil) -> (AppState, [AppEffect]) {
        var s = start ?? state()
        var all: [AppEffect] = []
        for e in events {
            let (next, effects) = AppLogic.reduce(s, e)
            s = next
            all += effects
        }
        return (s, all)
    }

    func keys(_ text: String) -> [InputEvent] { text.map { .key(.char($0)) } }
    func typed(_ command: String) -> [InputEvent] { keys(":" + command) + [.key(.enter)] }

    @Test func braceKeysSelectTheControlThatBracketsMove() {
        let (s, effects) = run(keys("}][}]{{{["))
        // } -> 1, ] moves 1, [ moves 1, } -> 2, ] moves 2, { -> 1, { -> 0, { -> 2 (wraps), [ moves 2.
        #expect(s.selectedControl == 2)
        #expect(effects == [.sim(.nudgeControl(index: 1, steps: 1)), .sim(.nudgeControl(index: 1, steps: -1)),
                            .sim(.nudgeControl(index: 2, steps: 1)), .sim(.nudgeControl(index: 2, steps: -1))])
        // Without controls the selector says so; [ ] still ask for control 0 (the runner ignores it).
        var none = state()
        none.controls = []
        #expect(run(keys("}"), from: none).0.notice != nil)
        #expect(run(keys("}]"), from: none).1 == [.sim(.nudgeControl(index: 0, steps: 1))])
    }

    @Test func sceneFactsKeepTheSelectionInRange() {
        var s = state()
        s.selectedControl = 2
        s = AppLogic.sceneFacts(s, controls: [Control(name: "gain", value: 1, range: 0...4, step: 0.05)], ruleNames: ["x"])
        #expect(s.selectedControl == 0)
        #expect(s.ruleNames == ["x"])
    }

    @Test func teachingScrollStopsAtItsEnds() {
        var s = state()
        s.focus = 1
        s.teachingScrollLimit = 3
        let (down, _) = run([.key(.pageDown), .key(.pageDown), .key(.pageDown), .key(.pageDown), .key(.pageDown)], from: s)
        #expect(down.teachingScroll == 3)
        // The first press of up moves at once (no presses banked beyond the end).
        let (up, _) = run([.key(.up)], from: down)
        #expect(up.teachingScroll == 2)
    }

    @Test func helpScrollsWhileOpenAndClamps() {
        var s = state()
        s.helpScrollLimit = 4
        let (open, _) = run([.key(.char("?")), .key(.down), .key(.pageDown)], from: s)
        #expect(open.showHelp)
        #expect(open.helpScroll == 4)
        let (up, _) = run([.key(.up)], from: open)
        #expect(up.helpScroll == 3)
        let (closed, _) = run([.key(.escape)], from: up)
        #expect(!closed.showHelp)
        let (f1, _) = run([.key(.function(1))])
        #expect(f1.showHelp)
    }

    @Test func promptEditsAndCancels() {
        let (s, e) = run(keys(":sex") + [.key(.backspace)] + keys("t"))
        #expect(s.prompt?.text == "set")
        #expect(e.isEmpty)
        let (cancelled, _) = run([.key(.escape)], from: s)
        #expect(cancelled.prompt == nil)
        // Backspace on an empty prompt closes it; keys typed into the prompt are not commands.
        let (closed, ce) = run(keys(":q") + [.key(.backspace), .key(.backspace)])
        #expect(closed.prompt == nil)
        #expect(ce.isEmpty)
        #expect(!closed.quitting)
    }

    @Test func tabCompletesCommandsKeysRulesScenesAndLabels() {
        func complete(_ text: String) -> CommandPrompt {
            AppLogic.complete(CommandPrompt(text: text), state: state())
        }
        #expect(complete("ex").text == "export ")
        let s = complete("s")
        #expect(s.text == "s")
        #expect(s.candidates == ["set", "seed", "scene", "screenshot", "save"])
        #expect(complete("sc").candidates == ["scene", "screenshot"])
        #expect(complete("set fl").text == "set flip_fraction=")
        #expect(complete("set rule.n").text == "set rule.name=")
        #expect(complete("set ").candidates.contains("network.sizes"))
        #expect(complete("set activation=re").text == "set activation=relu")
        #expect(complete("rule c").text == "rule curl")
        #expect(complete("scene cu").candidates == ["cuba", "curl-descent"])
        #expect(complete("scene cu").text == "scene cu")
        #expect(complete("scene o").text == "scene oja")
        // Through the key: tab in the prompt.
        let (p, _) = run(keys(":rule f") + [.key(.tab)])
        #expect(p.prompt?.text == "rule fa")
    }

    @Test func setChangesALiveControlOrAsksForARebuild() {
        let (live, e1) = run(typed("set flip_fraction=0.35"))
        #expect(e1 == [.sim(.setControl("flip_fraction", 0.35))])
        #expect(live.prompt == nil)
        #expect(live.notice?.isError == false)
        // A dotted key whose last part is a control is live too; enumerated controls take names.
        #expect(run(typed("set rule.eta=0.01")).1 == [.sim(.setControl("eta", 0.01))])
        #expect(run(typed("set network.activation=relu")).1 == [.sim(.setControl("activation", 1))])
        let (bad, e2) = run(typed("set activation=softmax"))
        #expect(e2.isEmpty)
        #expect(bad.notice == Notice("activation: expected one of tanh, relu, linear, got softmax", isError: true))
        // Anything else rebuilds the scene (the app validates it like --set).
        #expect(run(typed("set network.sizes=[64, 32, 10]")).1 == [.rebuild(override: "network.sizes=[64, 32, 10]")])
        #expect(run(typed("set nothing")).0.notice?.isError == true)
    }

    @Test func otherCommands() {
        #expect(run(typed("rule fa")).1 == [.sim(.selectRule("fa"))])
        #expect(run(typed("rule oja")).0.notice?.text.contains("one of: bp, fa, curl") == true)
        #expect(run(typed("seed 7")).1 == [.sim(.setSeed(7))])
        #expect(run(typed("seed -1")).0.notice?.isError == true)
        #expect(run(typed("scene cuba")).1 == [.openScene("cuba")])
        #expect(run(typed("export m.csv")).1 == [.exportMetrics(path: "m.csv", format: .csv)])
        #expect(run(typed("export m.jsonl")).1 == [.exportMetrics(path: "m.jsonl", format: .jsonl)])
        #expect(run(typed("export m.txt")).0.notice?.isError == true)
        #expect(run(typed("screenshot")).1 == [.screenshot(path: nil)])
        #expect(run(typed("screenshot a.txt")).1 == [.screenshot(path: "a.txt")])
        let (q, qe) = run(typed("q"))
        #expect(q.quitting)
        #expect(qe == [.sim(.quit), .quit])
        let (unknown, _) = run(typed("sed 3"))
        #expect(unknown.notice?.text.hasPrefix("unknown command \":sed\", did you mean \":set\"?") == true)
        // The next key clears a notice.
        let (cleared, _) = run([.key(.char("x"))], from: unknown)
        #expect(cleared.notice == nil)
    }

    @Test func pickerFiltersMovesAndOpens() {
        let entries = [
            SceneEntry(name: "oja", path: "/s/oja.toml", title: "Oja's rule", model: "hebbian", summary: "PCA"),
            SceneEntry(name: "cuba", path: "/s/cuba.toml", title: "CUBA network", model: "lif_network", summary: "spiking"),
            SceneEntry(name: "curl-descent", path: "/s/curl-descent.toml", title: "Curl", model: "mlp", summary: "curl"),
        ]
        let (listed, e0) = run(keys("o"))
        #expect(e0 == [.listScenes])
        let opened = AppLogic.openPicker(listed, entries: entries)
        #expect(opened.picker?.matches.count == 3)
        let (filtered, _) = run(keys("cu"), from: opened)
        #expect(filtered.picker?.matches.map(\.name) == ["cuba", "curl-descent"])
        let (moved, _) = run([.key(.down), .key(.down), .key(.down)], from: filtered)
        #expect(moved.picker?.selected == 1)
        let (chosen, e1) = run([.key(.enter)], from: moved)
        #expect(chosen.picker == nil)
        #expect(e1 == [.openScene("/s/curl-descent.toml")])
        // Words match anywhere (model, title, summary); no match: enter says so.
        let (byModel, _) = run(keys("spiking"), from: opened)
        #expect(byModel.picker?.matches.map(\.name) == ["cuba"])
        let (none, e2) = run(keys("zzz") + [.key(.enter)], from: opened)
        #expect(e2.isEmpty)
        #expect(none.notice?.isError == true)
        let (closed, _) = run([.key(.escape)], from: opened)
        #expect(closed.picker == nil)
        // Keys typed into the picker are not dashboard keys.
        let (typedQ, eq) = run(keys("q"), from: opened)
        #expect(!typedQ.quitting && eq.isEmpty)
    }

    @Test func speedStartsOnTheLadderNearestTheScenes() {
        #expect(Speed.ladder[Speed.nearestIndex(to: .stepsPerSecond(750))] == .stepsPerSecond(1000))
        #expect(Speed.ladder[Speed.nearestIndex(to: .stepsPerSecond(450))] == .stepsPerSecond(500))
        #expect(AppState(panels: [], size: TerminalSize(width: 80, height: 24), speed: .stepsPerSecond(1e9)).speed
                == .stepsPerSecond(100_000))
    }
}
