import Testing
import SynModels
@testable import SynScenes

/// A race's lane for rule k equals a plain run of rule k from the same seed (so the rule does
/// not change the initial weights or the input stream), whatever the thread count.
@Suite struct RuleRaceTests {
    @Test(arguments: ["curl-descent", "oja"])
    func eachLaneEqualsAPlainRunOfItsRule(_ scene: String) throws {
        let spec = try SceneLoader.load(path: scenePath(scene), overrides: ["metrics.every=25"])
        let rules = spec.model.ruleNames
        #expect(rules.count >= 2)
        var race = try RuleRace(spec: spec, seed: 4, rules: rules.reversed())
        while race.step < 150 { race.advance(min(40, 150 - race.step), threads: 2) }
        var single = try RuleRace(spec: spec, seed: 4, rules: rules.reversed())
        single.advance(150, threads: 1)
        for (lane, other) in zip(race.lanes, single.lanes) {
            let plainSpec = try SceneLoader.load(path: scenePath(scene), overrides: ["metrics.every=25", "rule.name=\(lane.rule)"])
            var plain = try SceneSession(spec: plainSpec, seed: 4)
            let rows = [plain.measureRow()] + plain.advance(150)
            #expect(lane.rows.map(\.step) == rows.map(\.step))
            #expect(lane.rows.allSatisfy { $0.rule == lane.rule })
            for (a, b) in zip(lane.rows, rows) {
                #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "\(lane.rule) at step \(a.step)")
            }
            #expect(zip(lane.rows, other.rows).allSatisfy { $0.values.map(\.bitPattern) == $1.values.map(\.bitPattern) },
                    "\(lane.rule): 2 threads vs 1")
        }
    }

    @Test func anUnknownRuleIsOneLine() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"))
        #expect(throws: SceneError.self) { _ = try RuleRace(spec: spec, rules: ["oja", "nope"]) }
        do { _ = try RuleRace(spec: spec, rules: ["nope"]) } catch { #expect(error.description.contains("unknown rule \"nope\" (one of: ")) }
    }
}
