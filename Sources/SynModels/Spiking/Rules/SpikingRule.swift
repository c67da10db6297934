/// The plasticity of `stdp_neuron`: a spike-timing rule, optionally composed with a homeostatic
/// rule that runs after it each step. Built by `SpikingRules.registry` (scene names `"additive"`
/// or `"additive+scaling"`: the parts are resolved through their own registries).
public struct SpikingRule: Sendable, CustomStringConvertible {
    public var timing: any SpikeTimingRule
    public var homeostasis: (any HomeostaticRule)?

    public init(timing: any SpikeTimingRule, homeostasis: (any HomeostaticRule)? = nil) {
        self.timing = timing
        self.homeostasis = homeostasis
    }

    /// The update equations of both parts.
    public var equation: String {
        guard let h = homeostasis else { return timing.equation }
        return timing.equation + "; " + h.equation
    }

    public var description: String { equation }
}

/// A rule built from a registry entry, with the name and parameter values it was built from:
/// configurations hold these and compare rules by name and values.
public struct ConfiguredRule<Rule: Sendable>: Sendable, Equatable {
    public let name: String
    public let values: RuleParameterValues
    public let rule: Rule

    public init(name: String, values: RuleParameterValues, rule: Rule) {
        self.name = name
        self.values = values
        self.rule = rule
    }

    /// The rule of `descriptor` built with `values`.
    public init(_ descriptor: RuleDescriptor<Rule>, _ values: RuleParameterValues) {
        self.init(name: descriptor.name, values: values, rule: descriptor.make(values))
    }

    /// The rule of `descriptor` with every parameter at its default.
    public init(default descriptor: RuleDescriptor<Rule>) {
        self.init(descriptor, RuleParameterValues(descriptor.parameters))
    }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name && a.values == b.values }
}

/// The registries of the spiking families. A new spike-timing rule is one file in `Rules/` and
/// one line in `timing`; it is then also available with every homeostatic add-on.
public enum SpikingRules {
    /// Spike-timing rules (per-spike weight updates), shared by the spiking models.
    public static let timing = RuleRegistry<any SpikeTimingRule>(
        family: "spike_timing", summary: "per-spike weight updates of a projection (used by stdp_neuron)", [
            .init(AdditiveSTDP.self) { $0 },
            .init(NearestSpikeSTDP.self) { $0 },
            .init(MultiplicativeSTDP.self) { $0 },
            .init(SymmetricSTDP.self) { $0 },
            .init(TripletSTDP.self) { $0 },
            .init(GutigSTDP.self) { $0 },
        ])

    /// Homeostatic add-ons of a spike-timing rule.
    public static let homeostasis = RuleRegistry<any HomeostaticRule>(
        family: "homeostasis", summary: "homeostatic add-ons composed with a spike-timing rule as \"RULE+ADDON\"", [
            .init(SynapticScaling.self) { $0 },
            .init(IntrinsicPlasticity.self) { $0 },
        ])

    /// The rules of `model = "stdp_neuron"`: every spike-timing rule alone, then every
    /// composition `"TIMING+HOMEOSTASIS"` (e.g. `"additive+scaling"`), whose parameters are
    /// both parts' parameters (a key both declare, `target_rate_hz` is not among them, is read once).
    public static let registry = RuleRegistry<SpikingRule>(
        family: "stdp", summary: "spike-timing rules, alone or composed with homeostasis as \"RULE+ADDON\" (model = \"stdp_neuron\")",
        timing.rules.map { t in RuleDescriptor(name: t.name, summary: t.summary, parameters: t.parameters) { SpikingRule(timing: t.make($0)) } }
            + timing.rules.flatMap { t in homeostasis.rules.map { h in compose(t, h) } })

    /// The composition of a spike-timing rule and a homeostatic add-on, as one registry entry.
    static func compose(_ t: RuleDescriptor<any SpikeTimingRule>, _ h: RuleDescriptor<any HomeostaticRule>) -> RuleDescriptor<SpikingRule> {
        let keys = Set(t.parameters.map(\.key))
        return RuleDescriptor(name: "\(t.name)+\(h.name)", summary: "\(t.name) with \(h.name): \(h.summary)",
                              parameters: t.parameters + h.parameters.filter { !keys.contains($0.key) }) { values in
            SpikingRule(timing: t.make(values), homeostasis: h.make(values))
        }
    }

    /// `additive` with its defaults (the library default of `STDPNeuronConfig`).
    public static var additive: ConfiguredRule<SpikingRule> {
        ConfiguredRule(name: AdditiveSTDP.name, values: RuleParameterValues(AdditiveSTDP.parameters),
                       rule: SpikingRule(timing: AdditiveSTDP(RuleParameterValues(AdditiveSTDP.parameters))))
    }
}
