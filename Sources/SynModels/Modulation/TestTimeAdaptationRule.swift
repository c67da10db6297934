import SynCore

/// The live rates of test-time adaptation (science page 2), shared by every arm of the scene:
/// η_m the modulator's step on the batch entropy (dimensionless, per batch), η_H the SoftHebb
/// rate (dimensionless, per sample), τ the soft competition's temperature (dimensionless) and
/// the floor of the statistics' running-average weight (per batch).
public struct TestTimeRates: Sendable, Equatable {
    public var modulator: Float
    public var hebbian: Float
    public var temperature: Float
    public var statisticsFloor: Double
    public init(modulator: Float = 0.05, hebbian: Float = 1e-3, temperature: Float = 1, statisticsFloor: Double = 0.05) {
        self.modulator = modulator; self.hebbian = hebbian; self.temperature = temperature; self.statisticsFloor = statisticsFloor
    }
}

/// How a trained `NHLNetwork` adapts to one unlabeled batch of a test stream (scene `nhl-tta`,
/// model `nhl_tta`). Each rule is one arm; all arms see the same batches. The batch is first
/// adapted to, then predicted. Steps, in this order, for the parts a rule switches on:
///
/// 1. Hebbian layer: one SoftHebb update per sample, Δw_k = η_H y_k (x − u_k w_k),
///    u = W1 x, y = softmax(u / τ).
/// 2. Statistics (build B): μ, σ² re-estimated on the stream (`NormalisationStatistics`,
///    running average of the stream's batches with weight ≥ the floor).
/// 3. Modulator: γ ← γ − η_m ∂H/∂γ, β ← β − η_m ∂H/∂β, H the batch-mean entropy of the
///    frozen classifier's softmax output (Tent, Wang et al. 2021).
public protocol TestTimeAdaptationRule: LearningRule {
    var hebbianLayer: Bool { get }
    var reestimatesStatistics: Bool { get }
    var entropyModulator: Bool { get }
}

extension TestTimeAdaptationRule {
    public var hebbianLayer: Bool { false }
    public var reestimatesStatistics: Bool { true }
    public var entropyModulator: Bool { false }

    /// Adapts `net` to the rows of x with the rule's steps (see the protocol doc).
    public func adapt(_ net: inout NHLNetwork, to x: Matrix, rates: TestTimeRates) {
        if hebbianLayer { net.hebbianUpdate(x, eta: rates.hebbian, temperature: rates.temperature) }
        if reestimatesStatistics, var stats = net.statistics {
            stats.update(with: net.preActivation(x), floor: rates.statisticsFloor)
            net.statistics = stats
        }
        if entropyModulator {
            let pass = net.forward(x)
            let g = net.backward(pass, outputError: NHLNetwork.entropy(pass).outputError, throughNormalisation: false)
            net.descendModulator(g, eta: rates.modulator)
        }
    }

    /// The equation with the live rates, for the teaching panel.
    public func equation(_ r: TestTimeRates) -> String {
        var parts: [String] = []
        if hebbianLayer {
            parts.append("W1: dw_k = \(NumberFormat.shortest(r.hebbian)) y_k (x - u_k w_k), y = softmax(W1 x / \(NumberFormat.shortest(r.temperature)))")
        }
        if reestimatesStatistics { parts.append("mu, var <- stream statistics (build B)") }
        if entropyModulator {
            parts.append("gamma, beta <- gamma, beta - \(NumberFormat.shortest(r.modulator)) dH/d(gamma, beta)")
        }
        return parts.isEmpty ? "nothing adapts: the source network as trained" : parts.joined(separator: ";  ")
    }

    public var equation: String { equation(TestTimeRates()) }
}

/// The registry of test-time adaptation arms: scenes and `--rule` find them here by name.
public enum TestTimeRules {
    public static let registry = RuleRegistry<any TestTimeAdaptationRule>(
        family: "test_time",
        summary: "test-time adaptation of a trained digits classifier on an unlabeled shifted stream (model nhl_tta)", [
            .init(SourceOnlyAdaptation.self) { $0 },
            .init(StatisticsReestimation.self) { $0 },
            .init(EntropyModulation.self) { $0 },
            .init(HebbianAdaptation.self) { $0 },
            .init(NeuroModulatedHebbian.self) { $0 },
        ])
}
