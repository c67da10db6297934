import Foundation
import SynCore
import SynScenes

/// Where and by what a run was made, recorded in every manifest.
public struct RunContext: Sendable {
    public var version: String
    public var gitCommit: String?
    public var host: String
    public var executor: String

    /// `executor` is overridden by `$SYNAPTOP_SWEEP_EXECUTOR` (set by the local executor for
    /// its workers).
    public init(version: String, executor: String) {
        self.version = version
        let env = ProcessInfo.processInfo.environment["SYNAPTOP_SWEEP_EXECUTOR"] ?? ""
        self.executor = env.isEmpty ? executor : env
        self.host = Self.hostName()
        self.gitCommit = Self.commit()
    }

    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "unknown" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `$SYNAPTOP_GIT_COMMIT`, else the commit of the source checkout the binary was built in
    /// (`git rev-parse HEAD` there), else nil.
    public static func commit() -> String? {
        if let env = ProcessInfo.processInfo.environment["SYNAPTOP_GIT_COMMIT"], !env.isEmpty { return env }
        var dir = Executable.path().map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "."
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir + "/Package.swift") && FileManager.default.fileExists(atPath: dir + "/.git") {
                let r = Shell.capture(["git", "-C", dir, "rev-parse", "HEAD"])
                let text = r.output.trimmingCharacters(in: .whitespacesAndNewlines)
                return r.status == 0 && text.count == 40 ? text : nil
            }
            let up = URL(fileURLWithPath: dir).deletingLastPathComponent().path
            if up == dir { break }
            dir = up
        }
        return nil
    }
}

/// The outcome of one point.
public enum PointOutcome: Sendable, Equatable {
    case skipped
    case finished(RunManifest.Status)
    case interrupted
}

/// Runs one point of a sweep in this process: the scene with the point's overrides and seed,
/// the same `SceneSession` as `synaptop run` (so the metrics are the same numbers), then
/// `metrics.csv` and `manifest.json`, each written atomically, the manifest last. An interrupted
/// run writes nothing: it stays pending.
public enum PointRunner {
    public static func run(_ point: SweepPoint, of spec: SweepSpec, store: RunStore, context: RunContext,
                           shouldStop: () -> Bool) throws(SweepError) -> PointOutcome {
        if store.isFinished(point.id) { return .skipped }
        try RunStore.makeDirectories(store.runDir(point.id))
        let start = ContinuousClock.now
        let started = ISO8601DateFormatter().string(from: Date())
        var manifest = RunManifest(
            id: point.id, index: point.index, status: .failed, exitStatus: 1, error: nil,
            scene: spec.sceneName, sceneFile: spec.scenePath,
            sceneText: (try? FileIO.read(spec.scenePath, limit: SceneLoader.maxFileBytes)).map { String(decoding: $0, as: UTF8.self) } ?? "",
            overrides: point.overrides, rule: "", seed: point.seed, steps: 0, metrics: spec.metrics, rows: 0,
            synaptopVersion: context.version, gitCommit: context.gitCommit, host: context.host, started: started,
            wallSeconds: 0, executor: context.executor)
        func elapsed() -> Double {
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }

        var session: SceneSession
        let total: Int
        do throws(SceneError) {
            let scene = try SceneLoader.load(path: spec.scenePath, overrides: point.setArguments)
            session = try SceneSession(spec: scene, seed: point.seed, threads: ParallelDefaults.threads(requested: 0))
            total = spec.steps ?? scene.steps
        } catch {
            manifest.error = error.description
            manifest.wallSeconds = elapsed()
            try store.writeManifest(manifest)
            return .finished(.failed)
        }
        let columns = spec.metrics.compactMap { session.metricNames.firstIndex(of: $0) }
        guard columns.count == spec.metrics.count else {
            manifest.error = "scene \(spec.sceneName) does not measure every kept metric (\(spec.metrics.joined(separator: ", ")))"
            try store.writeManifest(manifest)
            return .finished(.failed)
        }

        var rows = [session.measureRow()]
        let chunk = max(1, min(session.spec.metricsEvery * 10, total / 100 + 1))
        var done = 0
        while done < total {
            if shouldStop() { return .interrupted }
            let n = min(chunk, total - done)
            rows += session.advance(n)
            done += n
            if session.divergence != nil { break }
        }
        let kept = rows.map { r in
            var k = r
            k.values = columns.map { r.values[$0] }
            return k
        }
        try io { () throws(FileIOError) in try MetricsWriter.write(kept, names: spec.metrics, to: store.metricsPath(point.id), format: .csv) }
        manifest.rule = session.ruleName
        manifest.steps = session.step
        manifest.rows = kept.count
        manifest.wallSeconds = elapsed()
        if let bad = session.divergence {
            manifest.status = .diverged
            manifest.exitStatus = 1
            manifest.error = "run diverged at step \(session.step): metric \(bad) is not finite"
        } else {
            manifest.status = .ok
            manifest.exitStatus = 0
        }
        try store.writeManifest(manifest)
        return .finished(manifest.status)
    }
}

/// The path of the running binary: `/proc/self/exe` on Linux, else `argv[0]` made absolute.
public enum Executable {
    public static func path() -> String? {
        #if os(Linux)
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        guard let arg0 = CommandLine.arguments.first else { return nil }
        if arg0.contains("/") { return SweepSpec.absolute(arg0) }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where FileIO.isFile("\(dir)/\(arg0)") {
            return SweepSpec.absolute("\(dir)/\(arg0)")
        }
        return nil
    }
}

/// Runs a command and captures its standard output (stderr discarded).
public enum Shell {
    public static func quote(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `argv` (looked up on `$PATH`); returns its exit status, stdout and stderr.
    public static func capture(_ argv: [String]) -> (status: Int32, output: String, errors: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return (127, "", "\(error)") }
        // Read stderr on another thread so that neither pipe can fill up and block the child.
        let errData = ErrorBox()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errData.ready { usleep(1000) }
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errData.get(), as: UTF8.self))
    }

    /// A mutex-guarded buffer for the stderr reader thread.
    final class ErrorBox: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private var done = false
        func set(_ d: Data) { lock.lock(); data = d; done = true; lock.unlock() }
        var ready: Bool { lock.lock(); defer { lock.unlock() }; return done }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }

    /// True when `name` is an executable on `$PATH`.
    public static func has(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains { access("\($0)/\(name)", X_OK) == 0 }
    }
}
