import TUICore
import SynModels
import SynScenes
import TerminalBackend
import TUIWidgets

extension Snapshot {
    /// A snapshot of a session on the caller's thread, with views and probe computed now
    /// (used by `synaptop render`, tests and benchmarks).
    public static func capture(session: SceneSession, history: MetricHistory, generation: Int = 0, paused: Bool = true,
                               speed: Speed = .max, stepsPerSecond: Double = 0) -> Snapshot {
        SimulationRunner.makeSnapshot(session: session, generation: generation, history: history,
                                      views: session.sim.views(), probe: session.sim.probe(),
                                      stepsPerSecond: stepsPerSecond, paused: paused, speed: speed, message: nil)
    }
}

/// One dashboard frame of a scene stepped headless: what `synaptop render` prints, and what the
/// golden tests compare. Deterministic for a given scene, seed, steps and size.
public enum HeadlessFrame {
    /// Steps a fresh session of `spec` for `steps` steps (measuring metrics on the scene's
    /// schedule) and draws the paused dashboard at `size`.
    public static func render(spec: SceneSpec, seed: UInt64? = nil, steps: Int, size: TerminalSize, ascii: Bool,
                              colorMode: ColorMode = .truecolor, threads: Int = 1) throws(SceneError) -> Buffer {
        var session = try SceneSession(spec: spec, seed: seed, threads: threads)
        var history = MetricHistory.starting(with: &session)
        var left = max(0, steps)
        while left > 0 {
            let n = min(left, 100_000)
            history.append(session.advance(n))
            left -= n
        }
        let snapshot = Snapshot.capture(session: session, history: history)
        return render(spec: spec, snapshot: snapshot, size: size, ascii: ascii, colorMode: colorMode)
    }

    /// Draws the dashboard for `snapshot` (paused state, first panel focused).
    public static func render(spec: SceneSpec, snapshot: Snapshot, size: TerminalSize, ascii: Bool,
                              colorMode: ColorMode = .truecolor) -> Buffer {
        let state = AppState(panels: spec.panels, size: size, paused: snapshot.paused, speed: snapshot.speed)
        let theme = DashboardTheme.make(colorMode: colorMode, ascii: ascii)
        var buffer = Buffer(width: size.width, height: size.height)
        let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description,
                                   metricsEvery: spec.metricsEvery)
        DashboardRenderer.render(state: state, live: snapshot, shown: snapshot, context: context, theme: theme, into: &buffer)
        return buffer
    }
}
