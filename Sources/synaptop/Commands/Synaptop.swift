import ArgumentParser

/// `synaptop`: a live terminal lab for learning rules in neural networks.
struct Synaptop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synaptop",
        abstract: "A live terminal lab for learning rules in neural networks.",
        subcommands: [Run.self, List.self, Check.self, Bench.self]
    )
}
