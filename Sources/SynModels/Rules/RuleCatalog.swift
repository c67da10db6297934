/// Every rule family's registry, type-erased: what `synaptop rules` lists and what the contract
/// suite walks (each rule builds from its defaults, names are unique, parameters are valid).
/// A new family adds one line to `families`; a new rule only a line in its family's registry.
public enum RuleCatalog {
    /// One rule of a family, as data.
    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        public let parameters: [RuleParameter]
        /// The rule's equation when built with `values`.
        public let equation: @Sendable (RuleParameterValues) -> String
    }

    /// A family's rules, as data.
    public struct Family: Sendable {
        public let family: String
        public let summary: String
        public let rules: [Entry]
    }

    /// Every family, in documentation order.
    public static var families: [Family] {
        [
            HebbianRules.registry.catalogEntry,
            MLPRules.registry.catalogEntry,
            EqPropRules.registry.catalogEntry,
            HopfieldRules.registry.catalogEntry,
            ReservoirRules.registry.catalogEntry,
            SpikingRules.registry.catalogEntry,
            LIFNetworkRules.registry.catalogEntry,
            IzhikevichRules.registry.catalogEntry,
            AdExRules.registry.catalogEntry,
            GainModulationRules.registry.catalogEntry, ForwardOnlyRules.registry.catalogEntry,
            ModeTuningRules.registry.catalogEntry, FusionRules.registry.catalogEntry,
            DynamicsRules.registry.catalogEntry,
            LogDiffusionSamplers.registry.catalogEntry,
            DaleRules.registry.catalogEntry,
            ContinualRules.registry.catalogEntry,
            ConductanceNetworkRules.registry.catalogEntry,
            WTARules.registry.catalogEntry,
            SurrogateRules.registry.catalogEntry,
            PSPMRules.registry.catalogEntry,
            KVMemoryRules.registry.catalogEntry, StochasticEstimators.registry.catalogEntry,
            RegrowthRules.registry.catalogEntry, PolicyGradientRules.registry.catalogEntry,
            EchoMemoryRules.registry.catalogEntry,
            BrunelNetworkRules.registry.catalogEntry,
            SupervisedSTDPRules.registry.catalogEntry, UltraLIFRules.registry.catalogEntry,
            HolomorphicEPRules.registry.catalogEntry,
            BipropRules.registry.catalogEntry,
            TestTimeRules.registry.catalogEntry,
            WhatWhenRules.registry.catalogEntry,
        ]
    }

    /// The family named `name`.
    public static func family(_ name: String) -> Family? { families.first { $0.family == name } }
}
