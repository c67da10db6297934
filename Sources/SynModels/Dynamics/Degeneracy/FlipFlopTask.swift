import SynCore

/// The N-bit flip-flop task (Sussillo & Barak 2013; science page 35): each of `bits` input
/// channels carries a ±1 pulse with probability `pFlip` per step (sign equally likely), else 0;
/// the target of output k is the sign of channel k's last pulse (0 before its first pulse).
///
/// Batches are time-major like `LeakyRNN`'s: row t·C + c is sequence c at step t. The inputs
/// carry one extra constant channel of 1 (last column), so the RNN's input weights hold its
/// bias: U u_t + b = [U | b] [u_t; 1].
public struct FlipFlopTask: Sendable, Equatable {
    public let bits: Int
    public let pFlip: Double

    public init(bits: Int, pFlip: Double) {
        precondition(bits >= 1 && pFlip > 0 && pFlip < 1)
        self.bits = bits
        self.pFlip = pFlip
    }

    /// Input channels of the network: the bits plus the constant bias channel.
    public var inputs: Int { bits + 1 }

    /// A batch of `sequences` streams of `steps` steps: inputs (T·C × (bits + 1)) and targets
    /// (T·C × bits), drawn from `rng`.
    public func batch(steps: Int, sequences c: Int, rng: inout RNG) -> (inputs: [Float], targets: [Float]) {
        var pulses = [Float](repeating: 0, count: steps * c * bits)
        for i in pulses.indices where rng.bernoulli(pFlip) {
            pulses[i] = rng.bernoulli(0.5) ? 1 : -1
        }
        return (Self.withBias(pulses, bits: bits), Self.targets(pulses: pulses, bits: bits, sequences: c))
    }

    /// Targets of the pulse rows (T·C × bits, time-major): the sign of each channel's last
    /// pulse up to and including step t, 0 before the first.
    public static func targets(pulses: [Float], bits: Int, sequences c: Int) -> [Float] {
        var out = [Float](repeating: 0, count: pulses.count)
        var state = [Float](repeating: 0, count: c * bits)
        let steps = pulses.count / max(1, c * bits)
        for t in 0..<steps {
            for i in 0..<(c * bits) {
                let p = pulses[t * c * bits + i]
                if p != 0 { state[i] = p > 0 ? 1 : -1 }
                out[t * c * bits + i] = state[i]
            }
        }
        return out
    }

    /// The pulse rows with a constant 1 appended to every row.
    static func withBias(_ pulses: [Float], bits: Int) -> [Float] {
        let rows = pulses.count / bits
        var u = [Float](repeating: 1, count: rows * (bits + 1))
        for r in 0..<rows { for k in 0..<bits { u[r * (bits + 1) + k] = pulses[r * bits + k] } }
        return u
    }
}
