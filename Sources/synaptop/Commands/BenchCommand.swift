import ArgumentParser
import SynApp
import SynScenes
import SynBench

/// `synaptop bench [NAME]`: named micro- and macro-benchmarks with medians over runs.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run benchmarks (kernels, eigen, mlp, scenes, cuba, stdp, coba, cobahh, rewind, brunel, rate_threads, dashboard) and print a table or JSON lines.",
        discussion: "NAME is a group (e.g. kernels) or group/case; without NAME every group runs."
    )

    @Argument(help: "Group or group/case to run (see --list).")
    var name: String?

    @Flag(name: .long, help: "Print one JSON object per line: name, unit, median, min, max, runs.")
    var json = false

    @Flag(name: .long, help: "List groups and cases.")
    var list = false

    @Option(name: .long, help: "Override the number of measured runs per case.")
    var runs: Int?

    static func allCases() -> [BenchCase] { BenchSuite.all() + DashboardBench.cases }

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; figures are 10-50x too slow. Use `swift run -c release synaptop bench`.")
        #endif
        let cases = Self.allCases()
        if list {
            for c in cases { print("\(c.group)/\(c.name)  (\(c.figures.map { "\($0.name) [\($0.unit)]" }.joined(separator: ", ")))") }
            return
        }
        let selected = cases.filter { c in
            guard let name else { return true }
            return c.group == name || "\(c.group)/\(c.name)" == name
        }
        if selected.isEmpty {
            // Every group this command runs (the dashboard's included), in order.
            var groups: [String] = []
            for c in cases where !groups.contains(c.group) { groups.append(c.group) }
            throw CLIError("bench: no benchmark named \"\(name ?? "")\" (groups: \(groups.joined(separator: ", ")); --list shows all)")
        }
        if let runs, runs < 1 || runs > 1000 { throw CLIError("bench: --runs: expected an integer in [1, 1000], got \(runs)") }
        if !json && selected.contains(where: { $0.group == "kernels" }) { print(CPUFeatures.summary) }
        var results: [BenchResult] = []
        for var c in selected {
            if let runs { c.runs = runs }
            if !json { writeStderr("running \(c.group)/\(c.name) ...\n") }
            let r = BenchRunner.measure(c)
            if json { for x in r { print(x.json) } }
            results += r
        }
        if !json { print(BenchRunner.table(results), terminator: "") }
    }
}
