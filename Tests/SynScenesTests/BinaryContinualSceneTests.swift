import Testing
import SynModels
@testable import SynScenes

/// `model = "binary_continual"`: the shipped scene loads with both optimisers and its own eta each,
/// and out-of-range sizes are one-line errors naming the key and range.
@Suite struct BinaryContinualSceneTests {
    static let base = """
        title = "t"
        model = "binary_continual"
        [task]
        n = 50
        [rule]
        name = "gd"
        eta = 5
        """

    @Test func shippedSceneHasBothOptimisersWithTheirOwnSteps() throws {
        let spec = try SceneLoader.load(path: scenePath("binary-continual"))
        #expect(spec.model.ruleNames == ["adamw", "gd"])
        let sim = try spec.model.makeSimulation(seed: 1)
        #expect(sim.controls.map(\.name) == ["lambda", "rho"])
        #expect(sim.controls.map(\.value) == [1, 0.5])
        #expect(spec.model.ruleSummaries.map { $0.parameters.first { $0.0.key == "eta" }?.1 } == [0.05, 5])
    }

    @Test func badSizesNameTheKeyAndRange() {
        #expect(sceneError(Self.base) == nil)
        #expect(sceneError(Self.base.replacingOccurrences("n = 50", "n = 5"))
                == "scenes/x.toml: task.n: expected an integer in [10, 2000], got 5")
        #expect(sceneError(Self.base.replacingOccurrences("n = 50", "n = 50\nalpha_1 = 0"))
                == "scenes/x.toml: task.alpha_1: expected a number in [0.05, 10], got 0")
        #expect(sceneError(Self.base.replacingOccurrences("n = 50", "n = 50\nrho = -0.5"))
                == "scenes/x.toml: task.rho: expected a number in [0, 1], got -0.5")
    }
}
