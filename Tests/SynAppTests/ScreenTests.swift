import Testing
import SynCore
import SynModels
import SynScenes
import TerminalBackend
import TUICore
import TUIWidgets
@testable import SynApp

/// What every screen must show at the small sizes, for every scene: the help and quit hints,
/// the run state and the speed; and the pieces drawn only in some states (prompt, picker,
/// labelled controls, ASCII text, the end of a run).
@Suite struct ScreenTests {
    /// Every scene in `scenes/`, listed when the tests run (no list to keep).
    static var sceneNames: [String] {
        FileIO.list("\(packageRoot)/scenes").filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test(arguments: sceneNames)
    func keyBarAndStatusBarKeepTheEssentialsAtSmallSizes(_ name: String) throws {
        let spec = try loadScene(name)
        var session = try SceneSession(spec: spec)
        let history = MetricHistory.starting(with: &session)
        var snap = Snapshot.capture(session: session, history: history)
        // A long simulated time and a long speed make the status bar crowded.
        snap.time = 329.5
        snap.dt = spec.model is STDPNeuronSceneModel || snap.dt > 0 ? max(snap.dt, 1e-4) : 0
        snap.speed = .stepsPerSecond(20_000)
        for size in [TerminalSize(width: 60, height: 16), TerminalSize(width: 80, height: 24)] {
            let lines = HeadlessFrame.render(spec: spec, snapshot: snap, size: size, ascii: false).lines
            let keyBar = lines[size.height - 1], status = lines[0]
            #expect(keyBar.hasPrefix("? help  q quit"), "\(name) \(size.width)x\(size.height): \(keyBar)")
            #expect(status.contains("PAUSED"), "\(name) \(size.width)x\(size.height): \(status)")
            #expect(status.contains("(20k/s)"), "\(name) \(size.width)x\(size.height): \(status)")
            #expect(status.hasPrefix(name.prefix(20)), "\(name): \(status)")
        }
    }

    func frame(_ state: AppState, _ snap: Snapshot, _ spec: SceneSpec, theme: Theme = .default) -> Buffer {
        var b = Buffer(width: state.size.width, height: state.size.height)
        DashboardRenderer.render(state: state, live: snap, shown: snap,
                                 context: FrameContext(sceneName: spec.name, title: spec.title, description: spec.description),
                                 theme: theme, into: &b)
        return b
    }

    func ojaSnapshot() throws -> (SceneSpec, Snapshot) {
        let spec = try loadScene("oja")
        var session = try SceneSession(spec: spec)
        let history = MetricHistory.starting(with: &session)
        return (spec, Snapshot.capture(session: session, history: history))
    }

    @Test func teachingListsEveryControlWithTheSelectedOneMarkedAndNamesForEnums() throws {
        var (spec, snap) = try ojaSnapshot()
        snap.controls = [Control(name: "eta", value: 0.01, range: 1e-6...10, step: 0.0025),
                         Control(name: "activation", value: 1, range: 0...2, step: 1, labels: ["tanh", "relu", "linear"])]
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 160, height: 50), paused: true)
        state.selectedControl = 1
        let text = frame(state, snap, spec).plainText
        #expect(text.contains("  eta = 0.01 in [1e-06, 10]"))
        #expect(text.contains("> activation = relu (tanh, relu, linear)"))
        #expect(text.contains("{ } select  [ ] control"))
        spec.panels = []
    }

    @Test func helpListsTheScenesRulesAndControlsAndScrolls() throws {
        var (spec, snap) = try ojaSnapshot()
        snap.controls = [Control(name: "gain", value: 1, range: 0...4, step: 0.05)]
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 60, height: 16), paused: true)
        state.showHelp = true
        let top = frame(state, snap, spec).plainText
        #expect(top.contains("this help"))
        #expect(top.contains("more (down)"))
        let limit = DashboardRenderer.scrollLimits(state: state, shown: snap, live: snap,
                                                   context: FrameContext(sceneName: "oja", title: "", description: ""),
                                                   theme: .default).help
        #expect(limit > 0)
        state.helpScroll = limit
        let bottom = frame(state, snap, spec).plainText
        #expect(bottom.contains("gain = 1 in [0, 4]"))
        #expect(bottom.contains("oja (active)"))
        #expect(bottom.contains("covariance"))
        #expect(!bottom.contains("more (down)"))
    }

    @Test func promptPickerNoticeAndEndOfRunAreDrawn() throws {
        var (spec, snap) = try ojaSnapshot()
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 80, height: 24), paused: true)
        state.prompt = CommandPrompt(text: "s")
        state.prompt?.candidates = ["set", "seed"]
        var lines = frame(state, snap, spec).lines
        #expect(lines[23].hasPrefix(":s_   set  seed"))
        state.prompt = nil
        state.size = TerminalSize(width: 120, height: 24)
        state.notice = Notice("wrote m.csv (201 rows)")
        snap.endedAt = 20_000
        lines = frame(state, snap, spec).lines
        #expect(lines[0].contains("wrote m.csv (201 rows)"))
        #expect(lines[0].contains("ended at steps 20000 (space continues)"))
        state.picker = ScenePicker(entries: [
            SceneEntry(name: "oja", path: "/s/oja.toml", title: "Oja's rule", model: "hebbian", summary: "PCA."),
            SceneEntry(name: "cuba", path: "/s/cuba.toml", title: "CUBA", model: "lif_network", summary: "Spikes."),
        ])
        state.picker?.query = "cu"
        let text = frame(state, snap, spec).plainText
        #expect(text.contains("Open a scene (1/2)"))
        #expect(text.contains("filter: cu_"))
        #expect(text.contains("> cuba"))
        #expect(!text.contains("> oja"))
        spec.panels = []
    }

    @Test func asciiFramesAreASCIIOnly() throws {
        for name in ["oja", "sanger-digits", "stdp-song2000"] {
            let spec = try loadScene(name)
            let frame = try HeadlessFrame.render(spec: spec, steps: 100, size: TerminalSize(width: 120, height: 40), ascii: true)
            let text = frame.plainText
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(name) has non-ASCII text")
        }
        #expect(ASCIIText.transliterate("Δw = η·yᵀ x² ≤ Σ θ ← −1") == "dw = eta*y^T x^2 <= sum theta <- -1")
        #expect(DashboardTheme.wantsASCII(term: "linux"))
        #expect(!DashboardTheme.wantsASCII(term: "xterm-256color"))
    }

    @Test func sparklineNamesNeverRunIntoValues() {
        let rows: [(String, [Double])] = [("eee_pre", [0.93, 0.9354]), ("eee_post", [0.91, 0.9354]),
                                          ("w_target_rate", [9, 9, 9])]
        var b = Buffer(width: 24, height: 3)
        Sparklines(rows: rows).render(in: b.area, buffer: &b, theme: .ascii)
        let lines = b.lines
        // 12-column labels: the value keeps its 6 columns, the name gets 4 (cut in the middle).
        #expect(lines[0].hasPrefix("ee~e 0.9354 "), "\(lines[0])")
        #expect(lines[1].hasPrefix("ee~t 0.9354 "), "\(lines[1])")
        #expect(lines[2].hasPrefix("w_~e 9.0000 "), "\(lines[2])")
        // A constant series is a flat line one eighth high, not a wall of blocks.
        var flat = Buffer(width: 10, height: 2)
        Sparkline(values: [5, 5, 5, 5], fromMinimum: true).render(in: flat.area, buffer: &flat, theme: .default)
        #expect(flat.lines[0].trimmingCharacters(in: " ").isEmpty)
        #expect(flat.lines[1].hasSuffix("▁▁▁▁"))
    }
}

/// The run pauses once at the scene's `steps` when asked to, says so, and goes on after `space`.
@Suite struct RunEndTests {
    @Test func coreStopsAtTheScenesStepsOnceAndContinues() throws {
        let spec = try loadScene("oja", overrides: ["steps=300"])
        var session = try SceneSession(spec: spec)
        let history = MetricHistory.starting(with: &session)
        let first = SimulationRunner.makeSnapshot(session: session, generation: 0, history: history, views: [:], probe: [],
                                                  stepsPerSecond: 0, paused: false, speed: .max, message: nil)
        let clock = ManualClock()
        var core = RunnerCore(session: session, first: first, speed: .max, paused: false, frameInterval: 1.0 / 30,
                              clock: clock, stopsAtEnd: true)
        var guardCount = 0
        while core.work(snapshotWanted: false) == .again, guardCount < 10_000 { guardCount += 1 }
        #expect(core.session.step == 300)
        #expect(core.paused)
        #expect(core.endedAt == 300)
        clock.advance(1)
        let snap = core.snapshotIfDue(requested: true, wantViews: false)
        #expect(snap?.endedAt == 300)
        // Rows measured so far (steps 0, 100, 200, 300).
        #expect(core.takeRows().rows.map(\.step) == [100, 200, 300])
        _ = core.accept([.setPaused(false)])
        #expect(core.endedAt == nil)
        for _ in 0..<5 { _ = core.work(snapshotWanted: false) }
        #expect(core.session.step > 300)
        #expect(!core.paused)
        // A reset arms the stop again.
        _ = core.accept([.reset])
        #expect(core.stopAt == 300)
        #expect(core.takeRows().restarted)
    }

    @Test func runnerKeepsEveryRowForExport() throws {
        let spec = try loadScene("oja", overrides: ["steps=500"])
        let runner = SimulationRunner(session: try SceneSession(spec: spec), speed: .max, stopsAtEnd: true)
        runner.start()
        defer { runner.stop() }
        var snap = runner.snapshot
        while snap.endedAt == nil, let next = runner.nextSnapshot(after: snap.generation, views: false, timeout: 10) { snap = next }
        #expect(snap.endedAt == 500)
        #expect(runner.metricRows().map(\.step) == [0, 100, 200, 300, 400, 500])
    }

    @Test func scenesDeclareTheirSpeed() throws {
        #expect(try loadScene("oja").speed == 1000)
        #expect(try loadScene("cuba").speed == nil)
        #expect(throws: SceneError.self) { try loadScene("oja", overrides: ["speed=0"]) }
        #expect(try loadScene("oja").keys.contains("rule.eta"))
        #expect(DashboardOptions().startSpeed(for: try loadScene("oja")) == .stepsPerSecond(1000))
        #expect(DashboardOptions(speed: .max).startSpeed(for: try loadScene("oja")) == .max)
    }
}
