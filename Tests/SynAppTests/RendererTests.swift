import SynCore
import Testing
import SynScenes
import SynModels
import TerminalBackend
import TUICore
@testable import SynApp

/// Frames in the states `render` does not show: sparklines, zoom, help, freeze, too small, and
/// the control and divergence lines of the teaching panel.
@Suite struct RendererTests {
    /// The oja model with a layout using every panel kind.
    static let toml = """
        title = "layout test"
        description = "A scene for renderer tests."
        model = "hebbian"
        seed = 3
        [metrics]
        every = 50
        [network]
        outputs = 1
        [rule]
        name = "oja"
        switchable = ["oja", "hebb"]
        eta = 0.005
        [task]
        name = "lowrank_gaussian"
        variances = [4.0, 1.0, 0.5]
        [[panel]]
        row = 0
        chart = ["alignment", "weight_norm"]
        title = "two metrics"
        [[panel]]
        row = 0
        sparklines = ["alignment", "weight_norm"]
        [[panel]]
        row = 1
        view = "spectrum"
        [[panel]]
        row = 1
        teaching = true
        """

    func spec() throws -> SceneSpec {
        try SceneLoader.parse(bytes: Array(Self.toml.utf8), file: "layout-test.toml")
    }

    func frame(_ state: AppState, _ snap: Snapshot, _ spec: SceneSpec) -> Buffer {
        var b = Buffer(width: state.size.width, height: state.size.height)
        DashboardRenderer.render(state: state, live: snap, shown: snap,
                                 context: FrameContext(sceneName: spec.name, title: spec.title, description: spec.description),
                                 theme: .default, into: &b)
        return b
    }

    func snapshot(_ spec: SceneSpec, steps: Int, switchAt: Int? = nil) throws -> Snapshot {
        var s = try SceneSession(spec: spec)
        var h = MetricHistory(columns: s.metricNames.count)
        let r0 = s.measureRow()
        h.append(step: r0.step, values: r0.values)
        if let k = switchAt {
            for r in s.advance(k) { h.append(step: r.step, values: r.values) }
            s.selectRule(1)
            for r in s.advance(steps - k) { h.append(step: r.step, values: r.values) }
        } else {
            for r in s.advance(steps) { h.append(step: r.step, values: r.values) }
        }
        return Snapshot.capture(session: s, history: h)
    }

    @Test func everyPanelKindIsDrawnWithItsTitleAndData() throws {
        let spec = try spec()
        let snap = try snapshot(spec, steps: 1000, switchAt: 500)
        let state = AppState(panels: spec.panels, size: TerminalSize(width: 120, height: 40), paused: true)
        let text = frame(state, snap, spec).plainText
        #expect(text.contains("two metrics"))
        #expect(text.contains("metrics"))  // sparklines panel title
        let latest = try #require(snap.history.latest)
        #expect(text.contains(NumberFormat.value(latest[0])))  // sparkline value readout
        #expect(text.contains("spectrum"))
        #expect(text.contains("Rule hebb"))
        #expect(text.contains("Probed synapse at step 1000"))
        // The rule switch is marked on the chart with the new rule's name.
        #expect(text.contains("hebb"))
        #expect(snap.switches.map(\.step) == [500])
    }

    @Test func zoomGivesTheFocusedPanelTheWholeBody() throws {
        let spec = try spec()
        let snap = try snapshot(spec, steps: 200)
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 100, height: 30), paused: true)
        state.focus = 3
        state.zoomed = true
        let lines = frame(state, snap, spec).lines
        // The teaching panel's border spans the full width on row 1 and the body's last row.
        #expect(lines[1].hasPrefix("┏ about"))
        #expect(lines[1].hasSuffix("┓"))
        #expect(lines[28].hasPrefix("┗"))
        #expect(!lines.joined().contains("two metrics"))
    }

    @Test func teachingPanelScrolls() throws {
        let spec = try spec()
        let snap = try snapshot(spec, steps: 10)
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 60, height: 16), paused: true)
        let top = frame(state, snap, spec).plainText
        #expect(top.contains("Rule oja"))
        state.teachingScroll = 1000  // clamped: the last lines show
        let bottom = frame(state, snap, spec).plainText
        #expect(!bottom.contains("Rule oja"))
        #expect(bottom.contains("renderer tests."))
    }

    @Test func helpOverlayListsEveryBinding() throws {
        let spec = try spec()
        let snap = try snapshot(spec, steps: 0)
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 120, height: 40))
        state.showHelp = true
        // The overlay scrolls (up/down): every binding shows on its first or its next page.
        var text = frame(state, snap, spec).plainText
        state.helpScroll = 30
        text += frame(state, snap, spec).plainText
        for (keys, action) in KeyBindings.help {
            #expect(text.contains(keys), "key \(keys)")
            #expect(text.contains(action), "action \(action)")
        }
    }

    @Test func statusBarShowsFrozenPausedAndRunning() throws {
        let spec = try spec()
        var snap = try snapshot(spec, steps: 100)
        var state = AppState(panels: spec.panels, size: TerminalSize(width: 120, height: 40))
        state.frozen = true
        var status = frame(state, snap, spec).lines[0]
        #expect(status.contains("FROZEN"))
        #expect(status.contains("PAUSED"))
        #expect(status.contains("step 100"))
        #expect(status.contains("seed 3"))
        snap.paused = false
        snap.stepsPerSecond = 12_345
        state.frozen = false
        status = frame(state, snap, spec).lines[0]
        #expect(status.contains("running"))
        #expect(status.contains("12.3k steps/s (max)"))
        // oja is not a model in time: no real-time factor.
        #expect(!status.contains("real time"))
        snap.dt = 1e-4
        #expect(frame(state, snap, spec).lines[0].contains("1.23x real time"))
        #expect(!status.contains("FROZEN"))
    }

    @Test func teachingShowsControlsAndDivergence() throws {
        let spec = try spec()
        var snap = try snapshot(spec, steps: 10)
        snap.controls = [SynModels.Control(name: "flip", value: 0.25, range: 0...0.5, step: 0.05)]
        snap.divergence = "weight_norm"
        let state = AppState(panels: spec.panels, size: TerminalSize(width: 160, height: 50), paused: true)
        let text = frame(state, snap, spec).plainText
        #expect(text.contains("> flip = 0.25 in [0, 0.5]"))
        #expect(text.contains("Diverged: weight_norm"))
        #expect(text.contains("DIVERGED"))
        #expect(text.contains("[ ] control"))  // the key bar offers the slider keys
    }
}
