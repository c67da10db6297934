import SynModels

/// The rules a scene runs: the starting one and every one a user may switch to live, each built
/// from its registry entry with the scene's values (the rule's own defaults for keys the scene
/// leaves out, so switching picks up each rule's defaults).
public struct RuleSelection<Rule: Sendable>: Sendable {
    /// The built rules, in `switchable` order.
    public let rules: [Rule]
    /// Their registry entries (names, parameters), in the same order.
    public let descriptors: [RuleDescriptor<Rule>]
    /// The parameter values each rule was built with.
    public let values: [RuleParameterValues]
    /// Index of the starting rule (`[rule] name`).
    public let start: Int

    public var names: [String] { descriptors.map(\.name) }

    /// Each rule with the parameter values it was built with, for `synaptop describe`.
    public var summaries: [RuleSummary] {
        zip(descriptors, values).map { d, v in
            RuleSummary(name: d.name, summary: d.summary, parameters: d.parameters.map { ($0, v[$0]) })
        }
    }
}

extension SceneReader {
    /// Reads a `[rule]` table against a registry: `name` (default `def`), `switchable` (default:
    /// just `name`; it must contain `name`, without repeats) and every parameter those rules
    /// declare, range-checked from their descriptions.
    ///
    /// A key at the top of `[rule]` applies to every listed rule that declares it; a sub-table
    /// `[rule.NAME]` sets a key for one rule only (a table for a registered rule that is not
    /// listed is checked, then ignored). A key that only other rules of the family take is an
    /// error naming them. Callers read their own model-level `[rule]` keys first and
    /// call `finish()` after.
    public mutating func rules<Rule>(from registry: RuleRegistry<Rule>, default def: String? = nil) throws(SceneError) -> RuleSelection<Rule> {
        let name = try ruleName("name", registry: registry, default: def)
        var switchable: [String] = []
        if has("switchable") {
            for n in try strings("switchable") {
                switchable.append(try ruleName("switchable", value: n, registry: registry))
            }
        } else {
            switchable = [name]
        }
        guard let start = switchable.firstIndex(of: name) else {
            throw error("switchable", "must contain the starting rule \"\(name)\", got [\(switchable.joined(separator: ", "))]")
        }
        guard Set(switchable).count == switchable.count else { throw error("switchable", "lists a rule twice") }

        var descriptors: [RuleDescriptor<Rule>] = []
        var values: [RuleParameterValues] = []
        for n in switchable {
            let d = try descriptor(n, registry: registry)
            var own: SceneReader? = has(n) ? try table(n) : nil
            own?.tolerate(d.parameters.map(\.key))
            var given: [String: Double] = [:]
            for p in d.parameters {
                // The top-level value is checked (and known) even where the rule's own table
                // overrides it.
                let shared = has(p.key) ? try parameter(p) : nil
                if own?.has(p.key) == true, var r = own {
                    given[p.key] = try r.parameter(p)
                    own = r
                } else if let shared {
                    given[p.key] = shared
                }
            }
            try own?.finish()
            descriptors.append(d)
            values.append(RuleParameterValues(d.parameters, given: given))
        }
        // A `[rule.NAME]` table of a registered rule that is not listed (e.g. after
        // `--set rule.switchable=...`) is checked against that rule's parameters, then ignored.
        for d in registry.rules where !switchable.contains(d.name) && has(d.name) {
            var own = try table(d.name)
            for p in d.parameters where own.has(p.key) { _ = try own.parameter(p) }
            own.tolerate(d.parameters.map(\.key))
            try own.finish()
        }
        // A key no listed rule takes but another rule of the family does: name its owners.
        let taken = Set(descriptors.flatMap { $0.parameters.map(\.key) })
        for key in table.keys.sorted() where !used.contains(key) && !taken.contains(key) {
            let owners = registry.rules.filter { $0.parameter(key) != nil }.map(\.name)
            if !owners.isEmpty {
                throw error(key, "is a parameter of \(owners.joined(separator: ", ")), not of \(switchable.joined(separator: ", ")) (the rules this scene switches between)")
            }
        }
        return RuleSelection(rules: zip(descriptors, values).map { $0.make($1) }, descriptors: descriptors,
                             values: values, start: start)
    }

    /// One rule parameter, validated against its kind and range.
    mutating func parameter(_ p: RuleParameter) throws(SceneError) -> Double {
        switch p.kind {
        case .number:
            return try number(p.key, in: p.range)
        case .integer:
            let lo = Int(p.lowerOpen ? p.range.lower.rounded(.down) + 1 : p.range.lower.rounded(.up))
            let hi = Int(p.upperOpen ? p.range.upper.rounded(.up) - 1 : p.range.upper.rounded(.down))
            return Double(try integer(p.key, in: lo...max(lo, hi)))
        }
    }

    private mutating func ruleName<Rule>(_ key: String, registry: RuleRegistry<Rule>, default def: String?) throws(SceneError) -> String {
        if !has(key), def == nil {
            throw error(key, "missing required key (a \(registry.family) rule, one of: \(registry.names.joined(separator: ", ")))")
        }
        let n = try string(key, default: def)
        return try ruleName(key, value: n, registry: registry)
    }

    private func ruleName<Rule>(_ key: String, value: String, registry: RuleRegistry<Rule>) throws(SceneError) -> String {
        _ = try descriptor(value, registry: registry, key: key)
        return value
    }

    private func descriptor<Rule>(_ name: String, registry: RuleRegistry<Rule>, key: String = "name") throws(SceneError) -> RuleDescriptor<Rule> {
        do throws(UnknownRuleError) {
            return try registry.descriptor(named: name)
        } catch {
            // The name as typed is echoed clipped (a 100 KB name stays a one-line error).
            let shown = UnknownRuleError(name: SceneError.clip(error.name), family: error.family, valid: error.valid)
            throw self.error(key, shown.description)
        }
    }
}

extension RuleParameter {
    var lowerOpen: Bool { range.lowerOpen }
    var upperOpen: Bool { range.upperOpen }
}
