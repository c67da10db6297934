import Testing
import SynCore
@testable import SynModels

/// G2GNet's pieces (scene `g2gnet`): the ensemble wiring, the masked arm's correlation and
/// rewiring, the regrowth scores and the cosine prune schedule, against hand-computed values.
@Suite struct ForwardG2GTests {
    /// 8 ensembles, each source reaching 4 targets: half of the 64 x 128 edges are allowed,
    /// every target ensemble hears from exactly 4 source ensembles, and a random mask of E edges
    /// has exactly E active edges, all inside the blocks.
    @Test func ensembleWiringIsBalancedAndMasksStayInsideTheBlocks() {
        var rng = RNG(seed: 3)
        let w = EnsembleWiring(inputs: 64, outputs: 128, groups: 8, blocks: 4, rng: &rng)
        #expect(w.allowedCount == 64 * 128 / 2)
        for t in 0..<8 { #expect(w.targets.filter { $0.contains(t) }.count == 4) }
        // Input ensemble a = image row a: pixel 8a + c reaches unit j iff j's ensemble is in S(a).
        for a in 0..<8 {
            for j in stride(from: 0, to: 128, by: 16) {
                #expect(w.allowed[j * 64 + 8 * a + 3] == w.targets[a].contains(j / 16))
            }
        }
        let m = w.randomMask(edges: 2048, rng: &rng)
        #expect(m.reduce(0, +) == 2048)
        #expect(m.indices.allSatisfy { m[$0] == 0 || w.allowed[$0] })
    }

    /// ρ = 0.5, identity first layer, input x = (1, 2): a_post = ReLU(x) = (1, 2) and
    /// C_ji = (1 − ρ) a_j a_i = 0.5 · [[1, 2], [2, 4]] after one step; masked-out weights stay 0.
    @Test func correlationFollowsItsEquationAndInactiveWeightsStayZero() {
        let lay = MLPLayout(sizes: [2, 2, 2])
        var theta0 = [Float](repeating: 0.3, count: lay.paramCount)
        theta0.replaceSubrange(lay.wOffset[0]..<(lay.wOffset[0] + 4), with: [1, 0, 0, 1])
        theta0.replaceSubrange(lay.bOffset[0]..<(lay.bOffset[0] + 2), with: [0, 0])
        let wiring: [EnsembleWiring?] = [EnsembleWiring(dense: 2, outputs: 2), EnsembleWiring(dense: 2, outputs: 2)]
        var arm = SparseMLPArm(layout: lay, theta0: theta0, wiring: wiring, masks: [[1, 1, 1, 1], [1, 0, 0, 1]], eta: 0.01,
                               tracksCorrelation: true)
        var net = BatchMLP(layout: lay, hidden: .relu, output: .softmax, capacity: 1)
        arm.train(&net, x: Matrix(rows: 1, cols: 2, storage: [1, 2]), t: Matrix(rows: 1, cols: 2, storage: [1, 0]), rho: 0.5)
        #expect(arm.correlation[0] == [0.5, 1, 1, 2])
        #expect(arm.theta[lay.wOffset[1] + 1] == 0 && arm.theta[lay.wOffset[1] + 2] == 0)
        #expect(arm.theta[lay.wOffset[1]] != 0)
    }

    /// One event with ζ = 1/3 on 3 active edges of |w| = (0.5, 0.1, 0.3) √2: edge 1 (smallest
    /// |w|) is pruned, one candidate among the inactive edges 3, 4, 5 regrows (the largest
    /// |gradient| under `gradient`), both at w = 0, and the edge count stays 3.
    @Test func rewiringPrunesTheSmallestAndRegrowsTheBestScoredCandidate() {
        let lay = MLPLayout(sizes: [2, 3, 1])
        var theta0 = [Float](repeating: 0.2, count: lay.paramCount)
        theta0.replaceSubrange(0..<6, with: [0.5, -0.1, 0.3, 9, 9, 9])
        var arm = SparseMLPArm(layout: lay, theta0: theta0, wiring: [EnsembleWiring(dense: 2, outputs: 3), nil],
                               masks: [[1, 1, 1, 0, 0, 0], nil], eta: 0.001, tracksCorrelation: false)
        #expect(abs(arm.theta[0] - 0.5 * Float(2).squareRoot()) < 1e-6 && arm.theta[3] == 0)
        var net = BatchMLP(layout: lay, hidden: .relu, output: .linear, capacity: 1)
        arm.train(&net, x: Matrix(rows: 1, cols: 2, storage: [1, 0.5]), t: Matrix(rows: 1, cols: 1, storage: [3]), rho: 0)
        let best = [3, 4, 5].max { (abs(arm.gradient[$0]), -$0) < (abs(arm.gradient[$1]), -$1) } ?? -1
        var rng = RNG(seed: 1)
        arm.rewire(fraction: 1.0 / 3, rule: GradientRegrowth(), rng: &rng)
        #expect(arm.lastPruned == [1])
        #expect(arm.lastRegrown == [best])
        #expect(arm.mask[1] == 0 && arm.theta[1] == 0 && arm.mask[best] == 1 && arm.theta[best] == 0)
        #expect(arm.mask[0..<6].reduce(0, +) == 3)
        #expect(abs(arm.edgeSurvival - 2.0 / 3) < 1e-12)
        #expect(abs(arm.sparsity - 0.5) < 1e-12)
    }

    /// The scores: Hebbian |C|, gradient |g|, random uniform in [0, 1).
    @Test func regrowthScoresAreTheirEquations() {
        var rng = RNG(seed: 2)
        #expect(HebbianRegrowth().score(gradient: 5, correlation: -0.25, rng: &rng) == 0.25)
        #expect(GradientRegrowth().score(gradient: -3, correlation: 9, rng: &rng) == 3)
        let u = RandomRegrowth().score(gradient: 0, correlation: 0, rng: &rng)
        #expect(u >= 0 && u < 1)
    }

    /// ζ(t) = ζ₀ (1 + cos(π t / T)) / 2: ζ₀ at 0, ζ₀ / 2 at T / 2, 0 from T on.
    @Test func pruneFractionIsCosineDecayed() {
        let c = G2GSimulation.Config(sizes: [64, 16, 16, 10], groups: 8, zeta: 0.3, rewireUntil: 1000)
        let sim = G2GSimulation(config: c, seed: 1, data: Digits.split())
        #expect(abs(sim.pruneFraction(at: 0) - 0.3) < 1e-12)
        #expect(abs(sim.pruneFraction(at: 500) - 0.15) < 1e-12)
        #expect(sim.pruneFraction(at: 1000) == 0)
    }
}
