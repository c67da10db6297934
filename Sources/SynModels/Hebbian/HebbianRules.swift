/// The registry of local Hebbian rules (`model = "hebbian"`): scenes and `--rule` find them
/// here by name. A new rule is one file in `Rules/` and one line below.
public enum HebbianRules {
    public static let registry = RuleRegistry<any HebbianLearningRule>(
        family: "hebbian", summary: "local rules of a Hebbian layer (model = \"hebbian\")", [
            .init(Hebb.self) { $0 },
            .init(Oja.self) { $0 },
            .init(OjaSubspace.self) { $0 },
            .init(Sanger.self) { $0 },
            .init(BCM.self) { $0 },
            .init(Foldiak.self) { $0 },
            .init(SoftHebb.self) { $0 },
            .init(CovarianceRule.self) { $0 },
        ])
}
