import ArgumentParser
import SynCore
import SynScenes
import SynSweep
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `synaptop sweep`: many runs of one scene over a grid of parameters and seeds.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a sweep (a grid of --set values, rules and seeds) into a run store; follow and tabulate it.",
        discussion: "`synaptop sweep SPEC.toml` runs every point on local worker processes (resumable: finished runs are skipped). `sweep status DIR` counts runs, `sweep table DIR` prints one row per run. See README, \"Sweeps\".",
        subcommands: [SweepStart.self, SweepStatus.self, SweepTableCommand.self, SweepBench.self],
        defaultSubcommand: SweepStart.self
    )
}

enum SweepExecutor: String, ExpressibleByArgument, CaseIterable { case local, slurm }
enum SweepEmit: String, ExpressibleByArgument, CaseIterable { case slurm, parallel }
extension SweepTable.At: ExpressibleByArgument {}

struct SweepStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run (or resume) the sweep in SPEC.toml (the default subcommand: `synaptop sweep SPEC.toml`).")

    @Argument(help: "The sweep file (.toml).")
    var spec: String

    @Option(name: .long, help: "The sweep's store directory (default: sweeps/<name of SPEC>).")
    var out: String?

    @Option(name: .long, help: "Worker processes for the local executor (default: the number of cores).")
    var jobs: Int?

    @Option(name: .long, help: "Where to run: local (worker processes here) or slurm (submit a job array with sbatch).")
    var executor: SweepExecutor = .local

    @Option(name: .long, help: "Only write a batch file into the store: slurm (DIR/slurm.sh) or parallel (DIR/jobs.txt).")
    var emit: SweepEmit?

    @Option(name: .long, help: "Largest Slurm array (default 1000): beyond it each task runs several points.")
    var slurmTasks: Int = 1000

    @Option(name: .customLong("sbatch"), parsing: .singleValue, help: ArgumentHelp("An extra #SBATCH line (repeatable), e.g. --sbatch=--time=02:00:00.", valueName: "option"))
    var sbatchOptions: [String] = []

    @Option(name: .long, help: "Run only the points with index % task-count == task-index, in this process (what each batch task runs).")
    var taskIndex: Int?

    @Option(name: .long, help: "With --task-index: the number of tasks (default: the number of points).")
    var taskCount: Int?

    @Flag(name: .long, help: "Print the points and exit.")
    var dryRun = false

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 1024 { throw ValidationError("--jobs: expected an integer in [1, 1024], got \(jobs)") }
        if slurmTasks < 1 || slurmTasks > 1_000_000 { throw ValidationError("--slurm-tasks: expected an integer in [1, 1000000], got \(slurmTasks)") }
        if let taskIndex, taskIndex < 0 { throw ValidationError("--task-index: expected an integer >= 0, got \(taskIndex)") }
        if let taskCount, taskCount < 1 { throw ValidationError("--task-count: expected an integer >= 1, got \(taskCount)") }
        if taskCount != nil && taskIndex == nil { throw ValidationError("--task-count needs --task-index") }
        if let taskIndex, let taskCount, taskIndex >= taskCount { throw ValidationError("--task-index \(taskIndex): expected less than --task-count \(taskCount)") }
    }

    func run() throws {
        let sweep: SweepSpec
        do { sweep = try SweepSpec.load(path: spec) } catch { throw CLIError(String(describing: error)) }
        let dir = SweepSpec.absolute(out ?? "sweeps/" + SceneLoader.baseName(spec))
        let store = RunStore(dir)
        let specPath = SweepSpec.absolute(spec)

        if dryRun {
            for p in sweep.points {
                print("\(p.index)  \(p.id)  seed=\(p.seed)  \(p.setArguments.joined(separator: " "))")
            }
            return
        }
        if let taskIndex { try runTask(sweep, store: store, index: taskIndex); return }

        do {
            try store.prepare(sweep)
        } catch { throw CLIError(String(describing: error)) }
        // The store path may only exist now: make it absolute for scripts and workers.
        let absDir = SweepSpec.absolute(dir)
        let absStore = RunStore(absDir)
        guard let exe = Executable.path() else { throw CLIError("cannot find the path of the synaptop binary to start workers") }

        if let emit {
            try writeScript(emit, sweep: sweep, store: absStore, exe: exe, specPath: specPath)
            return
        }
        switch executor {
        case .slurm: try submit(sweep, store: absStore, exe: exe, specPath: specPath)
        case .local: try runLocal(sweep, store: absStore, exe: exe, specPath: specPath)
        }
    }

    /// One batch task: this process runs its share of the points.
    func runTask(_ sweep: SweepSpec, store: RunStore, index: Int) throws {
        let count = taskCount ?? sweep.points.count
        do {
            try RunStore.makeDirectories(store.dir + "/runs")
            if !FileIO.isFile(store.planPath) { try store.prepare(sweep) }
        } catch { throw CLIError(String(describing: error)) }
        installStopHandlers()
        let job = getenv("SLURM_ARRAY_JOB_ID").map { "slurm \(String(cString: $0))_\(index)" }
        let context = RunContext(version: Synaptop.version, executor: job ?? "task \(index)/\(count)")
        var failed: [String] = []
        for p in sweep.points where p.index % count == index {
            let outcome: PointOutcome
            do {
                outcome = try PointRunner.run(p, of: sweep, store: store, context: context) { stopRequested.load(ordering: .relaxed) }
            } catch { throw CLIError(String(describing: error)) }
            switch outcome {
            case .interrupted: throw ExitCode(130)
            case .skipped: if !quiet { print("\(p.id): already finished, skipped") }
            case .finished(let status):
                if status == .failed { failed.append(p.id) }
                if !quiet { print("\(p.id): \(status.rawValue)\(store.manifest(p.id)?.error.map { " (\($0))" } ?? "")") }
            }
        }
        if let first = failed.first {
            throw CLIError("\(failed.count) run\(failed.count == 1 ? "" : "s") failed; see \(store.manifestPath(first))")
        }
    }

    func runLocal(_ sweep: SweepSpec, store: RunStore, exe: String, specPath: String) throws {
        let jobs = self.jobs ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var executor = LocalExecutor(executable: exe, specPath: specPath, store: store, jobs: jobs)
        executor.workerArguments = ["--quiet"]
        // Workers record these in their manifests without each asking git.
        executor.environment["SYNAPTOP_SWEEP_EXECUTOR"] = "local"
        if let commit = RunContext.commit() { executor.environment["SYNAPTOP_GIT_COMMIT"] = commit }
        installStopHandlers()
        let tty = stderrIsTTY
        var lastFinished = -1
        let result: (SweepProgress, interrupted: Bool)
        do {
            result = try executor.run(sweep.points, progress: { state in
                guard !quiet else { return }
                if tty {
                    writeStderr("\r" + state.line + "\u{1B}[K")
                } else if state.skipped + state.done + state.failed != lastFinished {
                    lastFinished = state.skipped + state.done + state.failed
                    printError(state.line)
                }
            }, shouldStop: { stopRequested.load(ordering: .relaxed) })
        } catch { throw CLIError(String(describing: error)) }
        if tty && !quiet { writeStderr("\n") }
        let state = result.0
        writeIndex(store)
        let counts = (try? store.plan()).map { store.counts($0) }
        print("sweep \(SceneLoader.baseName(spec)): \(counts?.summary ?? "\(state.total) runs") (\(state.skipped) already finished) in \(String(format: "%.1f", state.elapsed)) s with \(jobs) worker\(jobs == 1 ? "" : "s")")
        print("  store \(store.dir); `synaptop sweep table \(store.dir)` lists the runs")
        if result.interrupted {
            printError("synaptop: interrupted; finished runs are kept, run the same command again to resume")
            throw ExitCode(130)
        }
        if state.failed > 0 {
            throw CLIError("\(state.failed) run\(state.failed == 1 ? "" : "s") failed (their manifest.json and worker.log in \(store.dir)/runs say why); run the same command again to retry them")
        }
    }

    func writeScript(_ emit: SweepEmit, sweep: SweepSpec, store: RunStore, exe: String, specPath: String) throws {
        do {
            switch emit {
            case .slurm:
                let path = try writeSlurmScript(sweep, store: store, exe: exe, specPath: specPath)
                print("wrote \(path) (\(ClusterScripts.taskCount(points: sweep.points.count, maxTasks: slurmTasks)) array tasks for \(sweep.points.count) runs); submit with: sbatch \(path)")
            case .parallel:
                let path = store.dir + "/jobs.txt"
                try FileIO.writeAtomically(path, bytes: Array(ClusterScripts.parallelJobs(executable: exe, specPath: specPath, dir: store.dir, points: sweep.points.count).utf8))
                print("wrote \(path) (\(sweep.points.count) jobs); run with: parallel --jobs \(max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) < \(path)")
            }
        } catch { throw CLIError(String(describing: error)) }
    }

    func writeSlurmScript(_ sweep: SweepSpec, store: RunStore, exe: String, specPath: String) throws -> String {
        let tasks = ClusterScripts.taskCount(points: sweep.points.count, maxTasks: slurmTasks)
        try RunStore.makeDirectories(store.dir + "/slurm")
        let text = ClusterScripts.slurm(executable: exe, specPath: specPath, dir: store.dir, name: sweep.sceneName, tasks: tasks, extra: sbatchOptions)
        let path = store.dir + "/slurm.sh"
        try FileIO.writeAtomically(path, bytes: Array(text.utf8))
        chmod(path, 0o755)
        return path
    }

    func submit(_ sweep: SweepSpec, store: RunStore, exe: String, specPath: String) throws {
        do {
            let path = try writeSlurmScript(sweep, store: store, exe: exe, specPath: specPath)
            let job = try Slurm.submit(script: path)
            try FileIO.writeAtomically(store.dir + "/slurm-job", bytes: Array((job + "\n").utf8))
            print("submitted Slurm job \(job) (\(ClusterScripts.taskCount(points: sweep.points.count, maxTasks: slurmTasks)) array tasks, \(sweep.points.count) runs); follow with: synaptop sweep status \(store.dir) --wait")
        } catch { throw CLIError(String(describing: error)) }
    }
}

/// Rebuilds `DIR/index.csv` (one row per run, every kept metric's last value).
func writeIndex(_ store: RunStore) {
    guard let plan = try? store.plan(), let table = try? SweepTable.build(store: store, plan: plan, metric: nil, at: .last) else { return }
    try? FileIO.writeAtomically(store.dir + "/index.csv", bytes: Array(table.csv.utf8))
}

struct SweepStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count a sweep's runs (done, diverged, failed, pending) and follow its Slurm job.")

    @Argument(help: "The sweep's store directory.")
    var dir: String

    @Flag(name: .long, help: "Wait until no run is pending (or the Slurm job has left the queue).")
    var wait = false

    @Option(name: .long, help: "With --wait: give up after this many seconds (exit 1).")
    var timeout: Double = 3600

    func run() throws {
        let store = RunStore(dir)
        let plan: SweepPlan
        do { plan = try store.plan() } catch { throw CLIError(String(describing: error)) }
        let job = (try? FileIO.read(dir + "/slurm-job", limit: 100)).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        let start = ContinuousClock.now
        var lastLine = ""
        while true {
            // The queue first, then the manifests: a job seen gone has written all it will.
            let queue = job.flatMap { $0.isEmpty ? nil : Slurm.queue(job: $0) }
            let counts = store.counts(plan)
            var line = "sweep \(SceneLoader.baseName(plan.sweepFile)): \(counts.summary)"
            var jobGone = false
            if let job, !job.isEmpty {
                if let q = queue {
                    if q.isEmpty {
                        jobGone = true
                        line += "; Slurm job \(job) has left the queue"
                        if let acct = Slurm.accounting(job: job) { line += " (" + acct.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.lowercased())" }.joined(separator: ", ") + ")" }
                    } else {
                        line += "; Slurm job \(job): " + q.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.lowercased())" }.joined(separator: ", ")
                    }
                } else {
                    line += "; Slurm job \(job) (squeue not available here)"
                }
            }
            if line != lastLine { print(line); lastLine = line }
            let settled = counts.pending == 0 || jobGone
            if !wait || settled {
                writeIndex(store)
                if wait && counts.failed > 0 { throw CLIError("\(counts.failed) run\(counts.failed == 1 ? "" : "s") failed; `synaptop sweep table \(dir)` shows which") }
                if wait && counts.pending > 0 { throw CLIError("Slurm job \(job ?? "") left the queue with \(counts.pending) runs pending (see \(dir)/slurm/*.out); resubmit to run them") }
                return
            }
            if seconds(since: start) > timeout {
                throw CLIError("\(dir): still \(counts.pending) runs pending after \(Int(timeout)) s")
            }
            usleep(1_000_000)
        }
    }
}

struct SweepTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "One row per run: its parameters, status and a metric (last value or max/min/mean over the series).")

    @Argument(help: "The sweep's store directory.")
    var dir: String

    @Option(name: .long, help: "The metric (default: every kept metric).")
    var metric: String?

    @Option(name: .long, help: "Which value of the series: last, max, min or mean.")
    var at: SweepTable.At = .last

    @Option(name: .long, help: "Also write the table as CSV to FILE (atomically).")
    var csv: String?

    func run() throws {
        let store = RunStore(dir)
        do {
            let plan = try store.plan()
            let table = try SweepTable.build(store: store, plan: plan, metric: metric, at: at)
            print(table.text, terminator: "")
            if let csv { try FileIO.writeAtomically(csv, bytes: Array(table.csv.utf8)) }
        } catch { throw CLIError(String(describing: error)) }
    }
}
