import Testing
import SynScenes
import TerminalBackend
import TUICore
@testable import SynApp

/// The UI loop against an in-memory terminal with scripted input (no TTY needed).
@Suite struct DashboardAppTests {
    func makeApp(events: [(Int, InputEvent)], size: TerminalSize = TerminalSize(width: 120, height: 40))
        throws -> (DashboardApp, MemoryBackend, SimulationRunner) {
        let spec = try loadScene("oja")
        let backend = MemoryBackend(size: size, waitsForTimeout: true)
        for (frame, e) in events { backend.schedule(e, afterFrames: frame) }
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        let app = DashboardApp(spec: spec, runner: runner, backend: backend, options: DashboardOptions(fps: 60, paused: true))
        return (app, backend, runner)
    }

    @Test func scriptedKeysDriveTheSimulationAndQuit() throws {
        let (app, backend, runner) = try makeApp(events: [
            (1, .key(.char("n"))), (2, .key(.char("n"))), (3, .key(.char("?"))), (4, .key(.char("q"))),
        ])
        let exit = app.run(maxSeconds: 30)
        #expect(exit == .quit)
        #expect(app.state.quitting)
        #expect(app.state.showHelp)
        #expect(backend.text.contains("PAUSED"))
        #expect(backend.text.contains("Keys"))
        #expect(backend.bytesWritten > 0)
        // `q` ends the simulation thread, which publishes its final state.
        runner.stop()
        let step = runner.snapshot.step
        #expect(step == 2)
    }

    @Test func resizeBelowTheMinimumAndBackRedraws() throws {
        let (app, backend, runner) = try makeApp(events: [
            (1, .resize(TerminalSize(width: 50, height: 12))), (2, .resize(TerminalSize(width: 100, height: 30))),
        ])
        _ = app.run(maxFrames: 2, maxSeconds: 30)
        #expect(backend.text.contains("need 60x16"))
        _ = app.run(maxFrames: 3, maxSeconds: 30)
        runner.stop()
        #expect(backend.size == TerminalSize(width: 100, height: 30))
        #expect(backend.text.contains("oja"))
        #expect(!backend.text.contains("need 60x16"))
        #expect(backend.screen.lines.count == 30)
    }

    @Test func redrawsOnlyWhenSomethingChanged() throws {
        // Paused with no input for half a second at 60 fps: the first frame is drawn in full,
        // then (at most) the first published snapshot; nothing else is redrawn or written.
        let (app, backend, runner) = try makeApp(events: [])
        _ = app.run(maxSeconds: 0.5)
        runner.stop()
        #expect(app.framesDrawn >= 1)
        #expect(app.framesDrawn <= 3)
        #expect(backend.cellsWritten >= 120 * 40)
        #expect(backend.cellsWritten < 2 * 120 * 40)
    }
}
