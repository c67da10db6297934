import ArgumentParser
import SynCore
import SynSweep

enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case table, csv }

/// `synaptop report SWEEP`: a sweep aggregated over seeds, one row per configuration.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Aggregate a sweep over seeds: per configuration, the mean and 95% confidence interval of each metric.",
        discussion: """
        The interval is Student's t with n-1 degrees of freedom over the configuration's ok runs \
        (mean ± t(0.975; n-1)·s/√n); diverged, failed and pending runs are counted, not averaged. See README, "Sweeps".
        """)

    @Argument(help: "The sweep's store directory (or its sweep file, for the default store sweeps/<name>).")
    var sweep: String

    @Option(name: .long, help: ArgumentHelp("A metric (repeatable; default: every kept metric).", valueName: "name"))
    var metric: [String] = []

    @Option(name: .long, help: "Which value of each run's series: last (default), best (min for loss/error metrics, else max), min, max or mean.")
    var at: SeriesValue = .last

    @Option(name: .customLong("where"), help: ArgumentHelp("Only runs with KEY=VALUE (repeatable), as for `synaptop runs`.", valueName: "key=value"))
    var filters: [String] = []

    @Option(name: .long, help: "table (aligned text) or csv.")
    var format: ReportFormat = .table

    @Option(name: .long, help: "Also write the CSV to FILE (atomically).")
    var csv: String?

    func run() throws {
        let store = try SweepStores.store(sweep)
        let runs: [IndexedRun]
        do { runs = try RunIndex(store).runs(where: try SweepStores.filters(filters)) } catch let e as SweepError { throw CLIError(e.description) }
        let metrics = try SweepStores.choose(metric, from: SweepStores.metricNames(runs))
        let report = SweepReport.build(runs: runs, metrics: metrics, at: at)
        switch format {
        case .table: print(report.text, terminator: "")
        case .csv: print(report.csv, terminator: "")
        }
        if let csv {
            do throws(FileIOError) { try FileIO.writeAtomically(csv, bytes: Array(report.csv.utf8)) } catch { throw CLIError(error.message) }
        }
    }
}
