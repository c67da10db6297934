import Testing
import SynCore
@testable import SynModels

/// The TauGate scene's pieces (science page 12): the digit rotation, the gated network's
/// gradients against finite differences, and what each mode-tuning rule may change.
@Suite struct ModeTuningTests {
    /// A 90 degree counter-clockwise rotation sends the top-right pixel to the top-left and
    /// 0 degrees is the identity (bilinear at integer points reads the pixel exactly).
    @Test func rotationByNinetyDegreesMovesCornersCounterClockwise() {
        var img = [Float](repeating: 0, count: 64)
        img[0 * 8 + 7] = 1
        img[3 * 8 + 2] = 0.5
        let r = DigitTransforms.rotated(img[...], degrees: 90)
        #expect(abs(r[0] - 1) < 1e-5)
        // (row 3, col 2): x = -1.5, y = 0.5 -> (-0.5, -1.5) -> row 5, col 3.
        #expect(abs(r[5 * 8 + 3] - 0.5) < 1e-5)
        #expect(abs(r.reduce(0, +) - 1.5) < 1e-5)
        #expect(DigitTransforms.rotated(img[...], degrees: 0).elementsEqual(img) { abs($0 - $1) < 1e-6 })
    }

    /// A half-pixel shift by 45 degrees conserves no mass exactly, but a centred blob stays
    /// centred: the centre of mass of a symmetric image does not move.
    @Test func rotationKeepsTheCentreOfMass() {
        var img = [Float](repeating: 0, count: 64)
        for r in 2...5 { for c in 2...5 { img[r * 8 + c] = 1 } }
        let out = DigitTransforms.rotated(img[...], degrees: 45)
        let m = out.reduce(0, +)
        let cr = (0..<64).reduce(Float(0)) { $0 + Float($1 / 8) * out[$1] } / m
        let cc = (0..<64).reduce(Float(0)) { $0 + Float($1 % 8) * out[$1] } / m
        #expect(abs(cr - 3.5) < 1e-4 && abs(cc - 3.5) < 1e-4)
    }

    static func smallNet() -> (GatedMLP, Matrix, [Int]) {
        var rng = RNG(seed: 3)
        var net = GatedMLP(sizes: [5, 4, 3, 3], rng: &rng)
        for l in net.tau.indices {
            for j in net.tau[l].indices { net.tau[l][j] = 0.1 * rng.normal(); net.gain[l][j] = 1 + 0.2 * rng.normal() }
        }
        for l in net.b.indices { for j in net.b[l].indices { net.b[l][j] = 0.3 } }
        let x = Matrix(rows: 4, cols: 5) { _, _ in rng.uniform(0, 1) }
        return (net, x, [0, 2, 1, 2])
    }

    static func loss(_ net: GatedMLP, _ x: Matrix, _ y: [Int], _ gate: GatedMLP.Gate) -> Double {
        var n = net
        n.forward(x, gate: gate)
        return Double(n.backward(labels: y).loss)
    }

    /// Every analytic gradient component (W, b, τ, g, through the soft gate) matches a
    /// central difference of the loss to 2 %.
    @Test func gatedGradientsMatchFiniteDifferences() {
        let (net0, x, y) = Self.smallNet()
        let gate = GatedMLP.Gate.soft(temperature: 0.3)
        var net = net0
        net.forward(x, gate: gate)
        let g = net.backward(labels: y).grads
        let eps: Float = 1e-2
        func check(_ analytic: Float, _ perturb: (inout GatedMLP, Float) -> Void) {
            var p = net0, m = net0
            perturb(&p, eps); perturb(&m, -eps)
            let numeric = (Self.loss(p, x, y, gate) - Self.loss(m, x, y, gate)) / Double(2 * eps)
            #expect(abs(Double(analytic) - numeric) <= 0.02 * max(abs(numeric), 1e-2), "analytic \(analytic), numeric \(numeric)")
        }
        for l in 0..<2 {
            for j in 0..<net0.tau[l].count {
                check(g.tau[l][j]) { $0.tau[l][j] += $1 }
                check(g.gain[l][j]) { $0.gain[l][j] += $1 }
            }
        }
        for l in 0..<3 {
            check(g.b[l][1]) { $0.b[l][1] += $1 }
            check(g.w[l].storage[2]) { $0.w[l].storage[2] += $1 }
        }
    }

    /// With τ = 0 and g = 1 the hard gate is the plain ReLU: h = relu(z) 1[z > 0] = relu(z).
    @Test func hardGateAtRestIsThePlainNetwork() {
        var rng = RNG(seed: 5)
        var a = GatedMLP(sizes: [6, 5, 4, 3], rng: &rng)
        var b = a
        let x = Matrix(rows: 3, cols: 6) { _, _ in rng.normal() }
        #expect(a.forward(x, gate: .hard) == b.forward(x, gate: .off))
    }

    /// TauGate moves only τ and g (by −η times their gradients), bias-only only b, the
    /// foundation nothing; the trainable counts are 2 per hidden neuron and the bias count.
    @Test func eachRuleMovesOnlyItsParameters() {
        let (net0, x, y) = Self.smallNet()
        var net = net0
        net.forward(x, gate: .soft(temperature: 0.3))
        let g = net.backward(labels: y).grads
        let values = RuleParameterValues([ModeTuningParameter.eta], given: ["eta": 0.5])
        var t = net0
        TauGateMode(values).apply(g, to: &t)
        #expect(t.w == net0.w && t.b == net0.b)
        #expect(abs(t.tau[1][2] - (net0.tau[1][2] - 0.5 * g.tau[1][2])) < 1e-7)
        #expect(abs(t.gain[0][3] - (net0.gain[0][3] - 0.5 * g.gain[0][3])) < 1e-7)
        var b = net0
        BiasOnlyMode(values).apply(g, to: &b)
        #expect(b.w == net0.w && b.tau == net0.tau && b.gain == net0.gain && b.b != net0.b)
        var f = net0
        FoundationMode().apply(g, to: &f)
        #expect(f.w == net0.w && f.b == net0.b && f.tau == net0.tau)
        #expect(TauGateMode(values).trainableCount(net0) == 14)
        #expect(BiasOnlyMode(values).trainableCount(net0) == 10)
    }

    /// LoRA starts as the identity change (B = 0) and its first step is B = −η ∂L/∂W Aᵀ
    /// with A unchanged, so W + B A moves by −η ∂L/∂W Aᵀ A.
    @Test func loraFirstStepIsTheProjectedGradient() {
        var (net, x, y) = Self.smallNet()
        let rule = LoRAMode(RuleParameterValues(LoRAMode.parameters, given: ["eta": 0.1, "rank": 2]))
        var rng = RNG(seed: 9)
        rule.bind(&net, rng: &rng)
        #expect(net.effectiveWeights(0) == net.w[0])
        net.forward(x, gate: .off)
        let g = net.backward(labels: y).grads
        let a0 = net.lora?[0].a
        var after = net
        rule.apply(g, to: &after)
        guard let a = a0, let adapters = after.lora else { Issue.record("no adapters"); return }
        #expect(adapters[0].a == a)
        for i in 0..<4 {
            for r in 0..<2 {
                var expected: Float = 0
                for j in 0..<5 { expected -= 0.1 * g.w[0][i, j] * a[r, j] }
                #expect(abs(adapters[0].b[i, r] - expected) < 1e-6)
            }
        }
        #expect(rule.trainableCount(net) == 2 * (5 + 4) + 2 * (4 + 3))
    }
}
