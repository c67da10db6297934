import ArgumentParser
import SynCore
import SynScenes

/// `synaptop race SCENE --rules a,b,c`: one copy of the scene per rule, same seed (same initial
/// weights, same inputs), stepped in lockstep on both cores; a side-by-side table and one
/// metrics file per rule.
struct Race: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Race rules on one scene: same seed, same initial weights and inputs, one copy per rule.",
        discussion: """
        Each copy is built as `synaptop run` builds the scene and switched to its rule at step 0
        (weights kept). Copies step in lockstep, spread over --threads threads; the numbers do
        not depend on the thread count. Prints the last metrics side by side; --out DIR writes
        DIR/SCENE-RULE.csv per rule in `run --out` format.
        """
    )

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file.")
    var scene: String

    @Option(name: .long, help: ArgumentHelp("Comma-separated rules, from the scene's switchable list.", valueName: "a,b,c"))
    var rules: String

    @Option(name: .long, parsing: .unconditional, help: "Number of steps (default: the scene's `steps`).")
    var steps: Int?

    @OptionGroup var options: SceneOptions

    @Option(name: .long, help: ArgumentHelp("Write DIR/SCENE-RULE.csv for each rule.", valueName: "DIR"))
    var out: String?

    @Option(name: .long, help: "Threads stepping copies at once, 1-64 (default 2).")
    var threads = 2

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    var ruleList: [String] { rules.split(separator: ",").map { String($0.filter { $0 != " " }) } }

    func validate() throws {
        if let steps, steps < 1 || steps > 1_000_000_000 {
            throw ValidationError("--steps: expected an integer in [1, 1000000000], got \(steps)")
        }
        guard !ruleList.isEmpty, ruleList.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--rules: expected comma-separated rule names, e.g. --rules backprop,fa")
        }
        guard Set(ruleList).count == ruleList.count else { throw ValidationError("--rules: a rule is listed twice") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads: expected an integer in [1, 64], got \(threads)") }
        if options.rule != nil { throw ValidationError("--rule: not with race (the rules come from --rules)") }
        if let out {
            guard FileIO.isDirectory(out) else { throw ValidationError("--out \(out): not an existing directory") }
        }
    }

    func run() throws {
        installStopHandlers()
        let spec = try options.load(scene)
        let total = steps ?? spec.steps
        var race: RuleRace
        do { race = try RuleRace(spec: spec, seed: options.seed, rules: ruleList) } catch { throw CLIError(error.description) }
        let progress = Progress(total: total, tty: stderrIsTTY, quiet: quiet)
        let chunk = max(1, min(spec.metricsEvery * 10, total / 100 + 1))
        let start = ContinuousClock.now
        var interrupted = false
        while race.step < total {
            if stopRequested.load(ordering: .relaxed) { interrupted = true; break }
            race.advance(min(chunk, total - race.step), threads: threads)
            progress.update(done: race.step, elapsed: seconds(since: start), last: race.lanes.first?.rows.last,
                            names: race.metricNames)
        }
        progress.finish()
        let wall = seconds(since: start)
        let names = race.metricNames
        let width = max(12, (names.map(\.count).max() ?? 0) + 2)
        let col = max(12, (ruleList.map(\.count).max() ?? 0) + 2)
        var lines = ["\(spec.name): race of \(ruleList.count) rules, \(race.step) steps each\(interrupted ? " (interrupted)" : "") in \(Fmt.num(wall, 2)) s (\(Fmt.si(Double(race.step * ruleList.count) / max(wall, 1e-9))) steps/s in all, \(threads) threads), seed \(options.seed ?? spec.seed)"]
        lines.append("  " + "metric".padding(width) + race.lanes.map { String(repeating: " ", count: max(0, col - $0.rule.count)) + $0.rule }.joined())
        for (j, n) in names.enumerated() {
            let cells = race.lanes.map { lane -> String in
                let v = lane.rows.last.map { Fmt.num($0.values[j], 4) } ?? "-"
                return String(repeating: " ", count: max(0, col - v.count)) + v
            }
            lines.append("  " + n.padding(width) + cells.joined())
        }
        if let out {
            for lane in race.lanes {
                let path = (out.hasSuffix("/") ? out : out + "/") + "\(spec.name)-\(lane.rule).csv"
                do throws(FileIOError) { try MetricsWriter.write(lane.rows, names: names, to: path, format: .csv) } catch {
                    throw CLIError(error.description)
                }
                lines.append("  wrote \(lane.rows.count) rows to \(path)")
            }
        }
        print(lines.joined(separator: "\n"))
        if !race.diverged.isEmpty { printError("note: metrics stopped being finite for \(race.diverged.joined(separator: ", "))") }
        if interrupted { throw ExitCode(130) }
    }
}
