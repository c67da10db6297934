import Testing
import SynCore
import SynModels
import SynScenes

/// One contract, every registered rule: found through `RuleCatalog.families` and each model
/// kind's `ruleFamily`, with no list here. A rule is covered the moment its registry line exists.
@Suite struct RuleContractTests {
    /// Every (family, rule name) pair, for parameterised tests.
    static var allRules: [String] {
        RuleCatalog.families.flatMap { f in f.rules.map { "\(f.family)/\($0.name)" } }
    }

    /// Every family is read by some model kind, and every model kind's family is registered.
    @Test func everyFamilyBelongsToAModel() {
        let families = Set(RuleCatalog.families.map(\.family))
        let used = Set(SceneModels.all.map { $0.ruleFamily })
        #expect(families == used, "registered \(families.sorted()), read by models \(used.sorted())")
        #expect(RuleCatalog.families.count == families.count, "two families share a name")
    }

    /// The declarations: unique names, a summary, unique keys with units matching their
    /// suffix, defaults inside their ranges, and an equation when built from the defaults.
    @Test(arguments: allRules)
    func ruleDeclarationIsValid(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let family = try #require(RuleCatalog.family(parts[0]))
        let rule = try #require(family.rules.first { $0.name == parts[1] })
        #expect(family.rules.filter { $0.name == rule.name }.count == 1, "duplicate name")
        #expect(!rule.summary.isEmpty)
        #expect(Set(rule.parameters.map(\.key)).count == rule.parameters.count, "duplicate parameter keys")
        for p in rule.parameters {
            #expect(p.range.contains(p.defaultValue), "\(p.key): default \(p.defaultValue) outside \(p.range)")
            #expect(p.kind == .number || p.defaultValue == p.defaultValue.rounded(), "\(p.key): integer with a fractional default")
            #expect(!p.summary.isEmpty, "\(p.key): no summary")
            #expect(p.key == p.key.lowercased() && !p.key.contains("-") && !p.key.contains(" "), "\(p.key): not snake_case")
            for (suffix, unit) in [("_ms", "ms"), ("_hz", "Hz"), ("_mv", "mV")] where p.key.hasSuffix(suffix) {
                #expect(p.unit == unit, "\(p.key): unit \"\(p.unit)\", expected \(unit)")
            }
        }
        #expect(!rule.equation(RuleParameterValues(rule.parameters)).isEmpty, "no equation")
    }

    /// Each registered rule runs in a scene of its model kind (one that lists it, else the first): added to the scene's
    /// `switchable` list, selected, stepped for two metrics intervals with finite metrics.
    @Test(arguments: allRules)
    func ruleRunsInASceneOfItsFamily(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let (family, name) = (parts[0], parts[1])
        let files = SceneFiles.all().filter { f in
            (try? SceneFiles.loadAsShipped(f)).map { type(of: $0.model).ruleFamily == family } ?? false
        }
        // A scene that already lists the rule (it may need the scene's own tables, e.g. hlop's
        // [lateral]), else the first scene of the family.
        let listing = files.first { f in (try? SceneFiles.loadAsShipped(f)).map { $0.model.ruleNames.contains(name) } ?? false }
        let file = try #require(listing ?? files.first, "no scene file uses rule family \(family)")
        let shipped = try SceneFiles.loadAsShipped(file)
        var names = shipped.model.ruleNames
        if !names.contains(name) { names.append(name) }
        let list = "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        var overrides = ["rule.switchable=\(list)"]
        if shipped.metricsEvery > SceneFiles.maxMetricsEvery { overrides.append("metrics.every=\(SceneFiles.maxMetricsEvery)") }
        let spec = try SceneLoader.load(path: SceneFiles.path(file), overrides: overrides)
        var session = try SceneSession(spec: spec)
        _ = session.advance(spec.metricsEvery / 2 + 1)
        let selected = session.selectRule(named: name)
        #expect(selected)
        #expect(session.ruleName == name)
        let rows = session.advance(2 * spec.metricsEvery)
        #expect(rows.count >= 1)
        let bad = nonFinite(rows, names: session.metricNames,
                            undefined: Set(session.spec.model.metrics.filter(\.mayBeUndefined).map(\.name)))
        #expect(bad.isEmpty, "\(file) with \(name): non-finite \(bad)")
    }
}
