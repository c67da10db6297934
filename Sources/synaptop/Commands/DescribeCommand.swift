import ArgumentParser
import SynCore
import SynModels
import SynScenes

/// `synaptop describe SCENE`: what a scene runs, from the declarations (rules with their
/// parameters and defaults, metrics with units and meaning, views, live controls).
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a scene's rules and parameters, metrics, views and live controls.")

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file.")
    var scene: String

    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp("Override applied before describing.", valueName: "key=value"))
    var overrides: [String] = []

    func run() throws {
        let path = try SceneLocator.resolve(scene)
        let spec = try SceneLoader.load(path: path, overrides: overrides)
        for n in spec.notes { printError("note: " + n) }
        let sim = try spec.makeSimulation()
        let start = sim.ruleNames.indices.contains(sim.activeRule) ? sim.ruleNames[sim.activeRule] : ""
        print(Self.text(spec, startRule: start, controls: sim.controls))
    }

    /// The description as text (one section per kind of thing).
    static func text(_ spec: SceneSpec, startRule start: String, controls: [Control]) -> String {
        let model = spec.model
        var out = "\(spec.name): \(spec.title)\n"
        out += "  file \(spec.file), model \(type(of: model).kind), seed \(spec.seed), \(spec.steps) steps, metrics every \(spec.metricsEvery)\n"
        out += "\nrules (r cycles; the first marked * is where the scene starts)\n"
        for r in model.ruleSummaries {
            out += "  \(r.name == start ? "*" : " ") \(r.name)" + (r.summary.isEmpty ? "" : ": \(r.summary)") + "\n"
            for (p, v) in r.parameters {
                let unit = p.unit.isEmpty ? "" : " \(p.unit)"
                out += "      \(p.key) = \(NumberFormat.shortest(v))\(unit)  in \(p.range)"
                out += v == p.defaultValue ? " (default)" : " (default \(p.defaultDescription))"
                out += "  \(p.summary)\n"
            }
        }
        out += "\nmetrics\n"
        let width = model.metrics.map(\.name.count).max() ?? 0
        for m in model.metrics {
            let unit = m.unit.isEmpty ? "" : " [\(m.unit)]"
            out += "  \(m.name.padding(toWidth: width))\(unit)  \(m.meaning)\n"
        }
        out += "\nviews\n"
        let vw = model.views.map(\.name.count).max() ?? 0
        for v in model.views { out += "  \(v.name.padding(toWidth: vw))  \(v.meaning)\n" }
        out += "\nlive controls ([ ] move the selected one)\n"
        if controls.isEmpty { out += "  (none)\n" }
        for c in controls {
            out += "  \(c.name) = \(NumberFormat.compact(c.value)) in [\(NumberFormat.compact(c.range.lowerBound)), \(NumberFormat.compact(c.range.upperBound))], step \(NumberFormat.compact(c.step))\n"
        }
        return out
    }
}

/// `synaptop rules [FAMILY]`: every registered rule, by family, with its parameters.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the plasticity rules by family, with their parameters and defaults.")

    @Argument(help: "A family (e.g. hebbian); default: every family.")
    var family: String?

    func run() throws {
        var families = RuleCatalog.families
        if let family {
            guard let f = RuleCatalog.family(family) else {
                let names = RuleCatalog.families.map(\.family)
                var msg = "unknown rule family \"\(family)\""
                if let near = Suggest.closest(to: family, in: names) { msg += ", did you mean \"\(near)\"?" }
                throw CLIError(msg + " (one of: \(names.joined(separator: ", ")))")
            }
            families = [f]
        }
        for f in families {
            print("\(f.family): \(f.summary)")
            for r in f.rules {
                print("  \(r.name): \(r.summary)")
                print("      \(r.equation(RuleParameterValues(r.parameters)))")
                for p in r.parameters {
                    let unit = p.unit.isEmpty ? "" : " \(p.unit)"
                    print("      \(p.key) = \(p.defaultDescription)\(unit)  in \(p.range)  \(p.summary)")
                }
            }
            print("")
        }
    }
}

extension String {
    func padding(toWidth w: Int) -> String { count >= w ? self : self + String(repeating: " ", count: w - count) }
}
