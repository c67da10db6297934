import SynApp
import SynScenes

/// A run resumed from a checkpoint: re-simulated from the seed to the checkpoint's step,
/// replaying its log, with the digest checked.
struct Resumed {
    var checkpoint: Checkpoint
    var spec: SceneSpec
    var session: SceneSession
    /// Every metrics row measured up to the checkpoint (charts start at step 0).
    var history: MetricHistory
    /// The newest row (the digest row).
    var last: MetricRow

    /// Reads `path` and replays it at headless speed; a progress line on stderr when the
    /// replay is long (more than a second). `scene`, when given, must be the checkpoint's.
    /// Any failure is one line naming the file.
    static func load(_ path: String, scene: String?, overrides: [String], threads: Int = 1, quiet: Bool = false) throws -> Resumed {
        guard overrides.isEmpty else {
            throw CLIError("--resume \(path): --set/--rule cannot be combined with --resume (the checkpoint holds the run's overrides)")
        }
        do {
            let checkpoint = try Checkpoint.read(path, expectingVersion: Synaptop.version)
            let spec = try checkpoint.spec()
            if let scene, SceneLoader.baseName(scene) != spec.name {
                throw CLIError("--resume \(path): the checkpoint is of scene \(spec.name), not \(SceneLoader.baseName(scene))")
            }
            var history = MetricHistory(columns: spec.model.metrics.count)
            var last: MetricRow?
            let start = ContinuousClock.now
            var lastLine = 0.0
            let total = checkpoint.step
            let session = try checkpoint.replay(spec: spec, threads: threads, rows: { row in
                history.append(row)
                last = row
            }, progress: { done in
                let t = seconds(since: start)
                if !quiet, t - lastLine >= 1 {
                    lastLine = t
                    let pct = Int(Double(done) / Double(max(1, total)) * 100)
                    if stderrIsTTY {
                        writeStderr("\rresuming \(path): replaying step \(done)/\(total) (\(pct)%)\u{1B}[K")
                    } else {
                        printError("resuming \(path): replaying step \(done)/\(total) (\(pct)%)")
                    }
                }
                return !stopRequested.load(ordering: .relaxed)
            })
            if !quiet, lastLine > 0, stderrIsTTY { writeStderr("\n") }
            guard let last else { throw CLIError("\(path): checkpoint replay measured no metrics") }
            return Resumed(checkpoint: checkpoint, spec: spec, session: session, history: history, last: last)
        } catch let e as SceneError {
            throw CLIError(e.description)
        }
    }
}
