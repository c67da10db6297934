/// The registry of equilibrium-propagation rules (`model = "eqprop"`): scenes and `--rule`
/// find them here by name. A new rule is one file in `Rate/EqPropRules/` and one line below.
public enum EqPropRules {
    public static let registry = RuleRegistry<any EqPropLearningRule>(
        family: "eqprop", summary: "nudging schemes of equilibrium propagation (model = \"eqprop\")", [
            .init(EqPropPositive.self) { $0 },
            .init(EqPropAlternating.self) { $0 },
            .init(EqPropSymmetric.self) { $0 },
        ])
}
