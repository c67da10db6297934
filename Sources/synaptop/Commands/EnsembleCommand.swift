import ArgumentParser
import SynCore
import SynScenes

/// `synaptop ensemble SCENE --seeds 1-5`: one copy of the scene per seed, same rule and
/// settings, stepped in lockstep on both cores; the spread over seeds of every metric, and the
/// band over steps as a CSV.
struct Ensemble: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one scene from several seeds at once and report the spread of every metric.",
        discussion: """
        Each copy is built as `synaptop run SCENE --seed K` builds it (same rule, same --set
        overrides), so copy K's numbers equal that run's. Copies step in lockstep, spread over
        --threads threads; the numbers do not depend on the thread count. Prints, per metric,
        the mean, standard deviation, 95% interval of the mean, min and max over seeds at the
        last row, then each seed's value. --out FILE.csv writes the band at every metrics row:
        step,time and per metric <m>_mean,<m>_sd,<m>_ci95,<m>_min,<m>_max,<m>_n. The dashboard
        draws the same band live: `synaptop SCENE --ensemble 2-5` or `:ensemble 2-5`.
        """
    )

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file.")
    var scene: String

    @Option(name: .long, help: ArgumentHelp("Seeds as ranges and values, e.g. 1-5 or 1,4,9 (at most \(Ensemble.maxSeeds)).", valueName: "LIST"))
    var seeds: String = "1-3"

    @Option(name: .long, parsing: .unconditional, help: "Number of steps (default: the scene's `steps`).")
    var steps: Int?

    @OptionGroup var options: SceneOptions

    @Option(name: .long, help: ArgumentHelp("Write the band at every metrics row to this CSV file.", valueName: "FILE.csv"))
    var out: String?

    @Option(name: .long, help: "Threads stepping copies at once, 1-64 (default 2).")
    var threads = 2

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    static let maxSeeds = 256

    var seedList: [UInt64] {
        get throws {
            switch SeedList.parse(seeds, option: "--seeds", limit: Self.maxSeeds) {
            case .success(let s): return s
            case .failure(let e): throw ValidationError(e.message)
            }
        }
    }

    func validate() throws {
        _ = try seedList
        if options.seed != nil { throw ValidationError("--seed: not with ensemble (the seeds come from --seeds)") }
        if let steps, steps < 1 || steps > 1_000_000_000 {
            throw ValidationError("--steps: expected an integer in [1, 1000000000], got \(steps)")
        }
        guard (1...64).contains(threads) else { throw ValidationError("--threads: expected an integer in [1, 64], got \(threads)") }
        if let out {
            guard !out.isEmpty, !FileIO.isDirectory(out) else { throw ValidationError("--out: expected a file name (e.g. band.csv), got \"\(out)\"") }
        }
    }

    func run() throws {
        installStopHandlers()
        let list = try seedList
        let spec = try options.load(scene)
        let total = steps ?? spec.steps
        var ensemble: SeedEnsemble
        do { ensemble = try SeedEnsemble(spec: spec, seeds: list) } catch { throw CLIError(error.description) }
        let progress = Progress(total: total, tty: stderrIsTTY, quiet: quiet)
        let chunk = max(1, min(spec.metricsEvery * 10, total / 100 + 1))
        let start = ContinuousClock.now
        var interrupted = false
        while ensemble.step < total {
            if stopRequested.load(ordering: .relaxed) { interrupted = true; break }
            ensemble.advance(min(chunk, total - ensemble.step), threads: threads)
            progress.update(done: ensemble.step, elapsed: seconds(since: start), last: ensemble.rows.first?.last,
                            names: ensemble.metricNames)
        }
        progress.finish()
        let wall = seconds(since: start)
        let names = ensemble.metricNames
        let band = ensemble.band
        print(Self.summary(spec: spec, ensemble: ensemble, band: band, wall: wall, threads: threads, interrupted: interrupted))
        if let out {
            do throws(FileIOError) {
                try FileIO.writeAtomically(out, bytes: Array(MetricsWriter.renderBand(band, names: names).utf8))
            } catch {
                throw CLIError(error.description)
            }
            print("  wrote \(band.count) rows to \(out)")
        }
        for d in ensemble.diverged { printError("note: seed \(d.seed): \(d.metric) stopped being finite (left out of the statistics from there)") }
        if interrupted { throw ExitCode(130) }
    }

    /// The table: per metric, the statistics over seeds at the last row, then each seed's value.
    static func summary(spec: SceneSpec, ensemble: SeedEnsemble, band: [EnsembleRow], wall: Double, threads: Int,
                        interrupted: Bool) -> String {
        let names = ensemble.metricNames
        let seeds = ensemble.seeds
        let width = max(12, (names.map(\.count).max() ?? 0) + 2)
        func cell(_ s: String, _ w: Int = 11) -> String { String(repeating: " ", count: max(1, w - s.count)) + s }
        var lines = ["\(spec.name): ensemble of \(seeds.count) seeds, \(ensemble.step) steps each\(interrupted ? " (interrupted)" : "") in \(Fmt.num(wall, 2)) s (\(Fmt.si(Double(ensemble.step * seeds.count) / max(wall, 1e-9))) steps/s in all, \(threads) threads)"]
        lines.append("  " + "metric".padding(width) + ["mean", "sd", "±95%", "min", "max"].map { cell($0) }.joined()
                     + "   " + seeds.map { cell("seed \($0)") }.joined())
        let last = band.last
        let rows = ensemble.rows.map(\.last)
        for (j, n) in names.enumerated() {
            let s = last.flatMap { $0.stats.indices.contains(j) ? $0.stats[j] : nil }
            let stats = s.map { [$0.mean, $0.sd, $0.ci95, $0.min, $0.max].map { cell(Fmt.num($0, 4)) }.joined() }
                ?? String(repeating: cell("-"), count: 5)
            let each = rows.map { r in cell(r.flatMap { $0.values.indices.contains(j) ? Fmt.num($0.values[j], 4) : nil } ?? "-") }
            lines.append("  " + n.padding(width) + stats + "   " + each.joined())
        }
        return lines.joined(separator: "\n")
    }
}
