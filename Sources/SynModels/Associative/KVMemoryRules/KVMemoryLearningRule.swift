import SynCore

/// A storage rule of a hetero-associative key-value memory (`model = "kv_memory"`): it writes
/// the values v_i (rows of V, P x d_v) under the key features φ_i (rows of Φ, P x f) into the
/// memory M (d_v x f), replacing M; recall is r = M φ(q).
public protocol KVMemoryLearningRule: LearningRule {
    /// Stores the rows of `values` under the rows of `keys` in `memory` (d_v x f), replacing it;
    /// `rng` orders presentations for rules that need an order.
    func store(keys: Matrix, values: Matrix, into memory: inout Matrix, rng: inout RNG)
}

/// The registry of key-value memory storage rules (`model = "kv_memory"`). A new rule is one
/// file in `Associative/KVMemoryRules/` and one line below.
public enum KVMemoryRules {
    public static let registry = RuleRegistry<any KVMemoryLearningRule>(
        family: "kv_memory", summary: "storage rules of a key-value memory M (model = \"kv_memory\")", [
            .init(HebbianKV.self) { $0 },
            .init(RescorlaWagner.self) { $0 },
        ])
}
