import ArgumentParser
import Foundation
import SynCore
import SynScenes
import SynSweep

/// `synaptop sweep bench`: the local executor's throughput, N workers against one after another.
struct SweepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a sweep of short runs on the local executor with --jobs workers against one worker (one run after another).",
        discussion: "Both sweeps run the same points into fresh stores in a temporary directory; their metrics files must be identical. See README, \"Sweeps\".")

    @Option(name: .long, help: "The scene each run steps.")
    var scene: String = "oja"

    @Option(name: .long, help: "Steps per run.")
    var steps: Int = 400_000

    @Option(name: .long, help: "Runs in the sweep (seeds 1...N).")
    var runs: Int = 16

    @Option(name: .long, help: "Workers of the parallel sweep.")
    var jobs: Int = 2

    @Option(name: .long, help: "Rounds (sequential then parallel, alternating); the median of each is reported.")
    var rounds: Int = 1

    func validate() throws {
        guard (1...1_000_000_000).contains(steps) else { throw ValidationError("--steps: expected an integer in [1, 1000000000], got \(steps)") }
        guard (1...1000).contains(runs) else { throw ValidationError("--runs: expected an integer in [1, 1000], got \(runs)") }
        guard (2...1024).contains(jobs) else { throw ValidationError("--jobs: expected an integer in [2, 1024], got \(jobs)") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds: expected an integer in [1, 20], got \(rounds)") }
    }

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; use `swift build -c release` for figures.")
        #endif
        guard let exe = Executable.path() else { throw CLIError("cannot find the path of the synaptop binary to start workers") }
        let tmp = NSTemporaryDirectory() + "synaptop-sweep-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        do {
            try RunStore.makeDirectories(tmp)
            let scenePath = try SceneLocator.resolve(scene)
            let specPath = tmp + "/bench.sweep.toml"
            let text = "scene = \"\(SweepSpec.absolute(scenePath))\"\nsteps = \(steps)\nseeds = \(runs)\n"
            try FileIO.writeAtomically(specPath, bytes: Array(text.utf8))
            let spec = try SweepSpec.load(path: specPath)
            let loadBefore = Self.loadAverage()
            var times: [Int: [Double]] = [1: [], jobs: []]
            var reference: [String: [UInt8]]?
            for round in 0..<rounds {
                for workers in [1, jobs] {
                    let store = RunStore("\(tmp)/r\(round)-j\(workers)")
                    try store.prepare(spec)
                    var executor = LocalExecutor(executable: exe, specPath: specPath, store: store, jobs: workers)
                    executor.workerArguments = ["--quiet"]
                    executor.environment["SYNAPTOP_SWEEP_EXECUTOR"] = "local"
                    let start = ContinuousClock.now
                    let (state, _) = try executor.run(spec.points, progress: { _ in }, shouldStop: { false })
                    let seconds = Self.seconds(ContinuousClock.now - start)
                    guard state.done == spec.points.count else {
                        throw CLIError("bench sweep: only \(state.done) of \(spec.points.count) runs finished (see \(store.dir)/runs/*/worker.log)")
                    }
                    var files: [String: [UInt8]] = [:]
                    for p in spec.points { files[p.id] = try FileIO.read(store.metricsPath(p.id), limit: 1 << 30) }
                    if let reference, reference != files { throw CLIError("bench sweep: the \(workers)-worker sweep's metrics differ from the 1-worker sweep's") }
                    reference = files
                    times[workers, default: []].append(seconds)
                    writeStderr("round \(round + 1): \(workers) worker\(workers == 1 ? "" : "s") \(String(format: "%.2f", seconds)) s\n")
                }
            }
            let one = Self.median(times[1] ?? []), many = Self.median(times[jobs] ?? [])
            let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
            print("sweep of \(runs) runs of \(SceneLoader.baseName(scenePath)) x \(steps) steps on \(cores) cores (median of \(rounds) round\(rounds == 1 ? "" : "s")):")
            print(String(format: "  1 worker (one after another)  %8.2f s  %6.2f runs/s", one, Double(runs) / one))
            print(String(format: "  %d workers                     %8.2f s  %6.2f runs/s", jobs, many, Double(runs) / many))
            print(String(format: "  speed-up %.2fx (metrics files identical)", one / many))
            if let before = loadBefore, let after = Self.loadAverage() {
                // Other processes competing for the cores cap the speed-up: say how busy the machine was.
                print("  load average \(before) before, \(after) after (1 minute, /proc/loadavg)")
            }
        } catch let e as SweepError {
            throw CLIError(e.description)
        } catch let e as SceneError {
            throw CLIError(e.description)
        } catch let e as FileIOError {
            throw CLIError(e.message)
        }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

    /// The 1-minute load average (Linux), nil elsewhere.
    static func loadAverage() -> String? {
        guard let bytes = try? FileIO.read("/proc/loadavg", limit: 4096) else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ").first.map(String.init)
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
