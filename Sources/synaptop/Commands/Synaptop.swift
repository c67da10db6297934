import ArgumentParser

/// `synaptop`: a live terminal lab for learning rules in neural networks.
struct Synaptop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synaptop",
        abstract: "A live terminal lab for learning rules in neural networks.",
        subcommands: [Dashboard.self, Run.self, Render.self, List.self, Check.self, Describe.self, Rules.self, Bench.self],
        defaultSubcommand: Dashboard.self
    )
}
