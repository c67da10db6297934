import ArgumentParser

/// `synaptop`: a live terminal lab for learning rules in neural networks.
struct Synaptop: ParsableCommand {
    /// The package version (`synaptop --version`).
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "synaptop",
        abstract: "A live terminal lab for learning rules in neural networks.",
        version: Synaptop.version,
        subcommands: [Dashboard.self, Run.self, Race.self, Ensemble.self, Sweep.self, Runs.self, Report.self, Compare.self, Render.self, Replay.self, List.self, Check.self, Describe.self, Rules.self, Bench.self],
        defaultSubcommand: Dashboard.self
    )
}
