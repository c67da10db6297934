#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynApp
import TUICore
import SynScenes
import TerminalBackend
import TUIWidgets

/// `synaptop bench dashboard`: the cost of drawing and the effect of watching on the
/// simulation, on a representative scene at 120x40 (`sceneName`: spike raster, weight
/// histogram and heatmap, charts, traces, teaching text).
public enum DashboardBench {
    /// The scene the cases use: the default spiking STDP scene when present, else sanger-digits.
    public static var sceneName: String {
        let names = Set(SceneLocator.sceneFiles().map { SceneLoader.baseName($0) })
        return ["stdp-song2000", "sanger-digits"].first { names.contains($0) } ?? "sanger-digits"
    }
    static let size = TerminalSize(width: 120, height: 40)

    public static var cases: [BenchCase] {
        [
            BenchCase(group: "dashboard", name: "frame_120x40", figures: [BenchFigure("frame", unit: "ms")], runs: 5) {
                [frameMilliseconds()]
            },
            BenchCase(group: "dashboard", name: "ui_cpu_cuba_120x40",
                      figures: [BenchFigure("ui_cpu", unit: "% of a core"), BenchFigure("fps", unit: "frames/s"),
                                BenchFigure("cpu_per_frame", unit: "ms")],
                      runs: 3, warmup: false) {
                uiCPU(scene: "cuba", seconds: 3)
            },
            BenchCase(group: "dashboard", name: "bytes_per_frame",
                      figures: [BenchFigure("incremental", unit: "bytes"), BenchFigure("cells", unit: "cells"),
                                BenchFigure("full", unit: "bytes"), BenchFigure("incremental_256", unit: "bytes")],
                      runs: 3) {
                bytesPerFrame()
            },
            BenchCase(group: "dashboard", name: "steps_ratio",
                      figures: [BenchFigure("ratio", unit: "x"), BenchFigure("headless", unit: "steps/s"),
                                BenchFigure("with_ui", unit: "steps/s")],
                      runs: 3, warmup: false) {
                stepsRatio(seconds: 2)
            },
        ]
    }

    static func loadSpec() -> SceneSpec? {
        do throws(SceneError) {
            return try SceneLoader.load(path: try SceneLocator.resolve(sceneName))
        } catch {
            return nil
        }
    }

    /// A session stepped `steps` steps and its metric history.
    static func stepped(_ spec: SceneSpec, steps: Int) -> (SceneSession, MetricHistory)? {
        guard var session = try? SceneSession(spec: spec) else { return nil }
        var history = MetricHistory.starting(with: &session)
        history.append(session.advance(steps))
        return (session, history)
    }

    /// Milliseconds for the whole path of one 120x40 frame, as the app runs it: build, colour
    /// quantisation, diff against the previous frame, ANSI encoding and one `write(2)` to
    /// `/dev/null` through `ANSIFileBackend` (the bytes `NcursesTerminal` writes on an ANSI
    /// terminal). Frames alternate between two snapshots a metrics interval apart, so every
    /// frame has real changes.
    static func frameMilliseconds() -> Double {
        guard let spec = loadSpec(), var (session, history) = stepped(spec, steps: 2000),
              let backend = ANSIFileBackend(size: size, colorMode: .truecolor) else { return .nan }
        let a = Snapshot.capture(session: session, history: history, paused: false)
        history.append(session.advance(spec.metricsEvery))
        let b = Snapshot.capture(session: session, history: history, paused: false)
        let state = AppState(panels: spec.panels, size: size)
        let theme = DashboardTheme.make(colorMode: .truecolor, ascii: false)
        let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description, frameMilliseconds: 1)
        var previous = Buffer(width: size.width, height: size.height)
        var current = previous
        var changes: [CellChange] = []
        let frames = 100
        let t = BenchClock.seconds {
            for i in 0..<frames {
                let snap = i % 2 == 0 ? a : b
                DashboardRenderer.render(state: state, live: snap, shown: snap, context: context, theme: theme, into: &current)
                current.quantizeColors(to: backend.colorMode)
                current.diff(from: previous, into: &changes)
                backend.draw(changes)
                backend.flush()
                swap(&current, &previous)
            }
        }
        return t / Double(frames) * 1000
    }

    /// The UI thread's CPU while the real app loop (`DashboardApp.run`: input polling, snapshot
    /// requests, frame build, diff, ANSI encoding, `write(2)` to `/dev/null`) draws `scene` at
    /// 120x40 and 30 fps, the simulation running at 1000 steps/s on its own thread: CPU time of
    /// the UI thread (`CLOCK_THREAD_CPUTIME_ID`) over wall time, in % of a core; the frames per
    /// second drawn; and the UI CPU per frame in ms. This is the figure `top -H` shows for the
    /// main thread.
    static func uiCPU(scene: String, seconds: Double) -> [Double] {
        let spec: SceneSpec
        do throws(SceneError) {
            spec = try SceneLoader.load(path: try SceneLocator.resolve(scene))
        } catch {
            return [.nan, .nan, .nan]
        }
        guard let session = try? SceneSession(spec: spec),
              let backend = ANSIFileBackend(size: size, colorMode: .truecolor) else { return [.nan, .nan, .nan] }
        let speed = Speed.stepsPerSecond(1000)
        let runner = SimulationRunner(session: session, speed: speed, paused: false, maxPublishRate: 30)
        let app = DashboardApp(spec: spec, runner: runner, backend: backend, options: DashboardOptions(fps: 30, speed: speed))
        let cpu0 = threadCPUSeconds()
        let wall = BenchClock.seconds { _ = app.run(maxSeconds: seconds) }
        let cpu = threadCPUSeconds() - cpu0
        runner.stop()
        let frames = Double(backend.flushes)
        return [cpu / wall * 100, frames / wall, frames > 0 ? cpu / frames * 1000 : .nan]
    }

    /// CPU seconds used by the calling thread so far.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Bytes a terminal receives per frame when little changes (one simulation step between
    /// frames, as in slow motion at 30 steps/s), counted as cursor moves + SGR codes + UTF-8
    /// text of the changed cells; the changed cells per frame; and the bytes of a full frame.
    static func bytesPerFrame() -> [Double] {
        let truecolor = bytesPerFrame(colorMode: .truecolor)
        let palette = bytesPerFrame(colorMode: .palette256)
        return truecolor + [palette[0]]
    }

    /// (incremental bytes, incremental cells, full-frame bytes) in one colour mode.
    static func bytesPerFrame(colorMode: ColorMode) -> [Double] {
        guard let spec = loadSpec(), var (session, history) = stepped(spec, steps: 2000) else { return [.nan, .nan, .nan] }
        let backend = MemoryBackend(size: size, colorMode: colorMode)
        let state = AppState(panels: spec.panels, size: size)
        let theme = DashboardTheme.make(colorMode: colorMode, ascii: false)
        let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description, frameMilliseconds: 1)
        var previous = Buffer(width: 0, height: 0)
        var current = Buffer(width: size.width, height: size.height)
        var changes: [CellChange] = []
        func frame() {
            if current.width != size.width || current.height != size.height {
                current.resize(width: size.width, height: size.height)
            }
            let snap = Snapshot.capture(session: session, history: history, paused: false)
            DashboardRenderer.render(state: state, live: snap, shown: snap, context: context, theme: theme, into: &current)
            current.quantizeColors(to: colorMode)  // as the app does before diffing
            current.diff(from: previous, into: &changes)
            backend.draw(changes)
            swap(&current, &previous)
        }
        frame()
        let full = Double(backend.bytesWritten)
        let fullCells = Double(backend.cellsWritten)
        let frames = 30
        for _ in 0..<frames {
            history.append(session.advance(1))
            frame()
        }
        return [(Double(backend.bytesWritten) - full) / Double(frames),
                (Double(backend.cellsWritten) - fullCells) / Double(frames), full]
    }

    /// Simulation speed with the dashboard drawing at 30 fps (through `SimulationRunner` and
    /// `DashboardApp` on an in-memory terminal) over headless speed on the same scene.
    static func stepsRatio(seconds: Double) -> [Double] {
        guard let spec = loadSpec(), var session = try? SceneSession(spec: spec) else { return [.nan, .nan, .nan] }
        _ = session.measureRow()
        var steps = 0
        let chunk = max(1, spec.metricsEvery)
        let start = ContinuousClock.now
        var elapsed = 0.0
        while elapsed < seconds {
            _ = session.advance(chunk)
            steps += chunk
            let d = ContinuousClock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let headless = Double(steps) / elapsed

        guard let fresh = try? SceneSession(spec: spec) else { return [.nan, headless, .nan] }
        let runner = SimulationRunner(session: fresh, speed: .max, paused: false, maxPublishRate: 30)
        let backend = MemoryBackend(size: size, colorMode: .truecolor, waitsForTimeout: true)
        let app = DashboardApp(spec: spec, runner: runner, backend: backend, options: DashboardOptions(fps: 30))
        let t0 = ContinuousClock.now
        app.run(maxSeconds: seconds)
        let s1 = runner.nextSnapshot(after: runner.generation, views: false, timeout: 1)?.step ?? runner.snapshot.step
        let d = ContinuousClock.now - t0
        runner.stop()
        let withUI = Double(s1) / (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        return [withUI / headless, headless, withUI]
    }
}
