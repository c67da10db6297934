import SynCore

/// Rate coding of an image as Poisson spike trains (science README, "Shared substrate"): input i
/// fires in each step independently with probability p_i = x_i · r_max · dt (x_i in [0, 1],
/// r_max in Hz, dt in s), so over T steps its count is Binomial(T, p_i) with mean x_i r_max T dt.
public struct RateCoder: Sendable {
    public let maxRateHz: Double
    public let dt: Double
    /// Spike probability per step of every input for the loaded image.
    public private(set) var probabilities: [Float]

    /// `inputs` channels; `maxRateHz · dt` must be at most 1 (a probability).
    public init(inputs: Int, maxRateHz: Double, dt: Double) {
        precondition(inputs >= 0 && maxRateHz >= 0 && dt > 0 && maxRateHz * dt <= 1)
        self.maxRateHz = maxRateHz
        self.dt = dt
        probabilities = [Float](repeating: 0, count: inputs)
    }

    /// Loads an image (values clamped to [0, 1]).
    public mutating func load<C: Collection>(_ pixels: C) where C.Element == Float {
        let scale = Float(maxRateHz * dt)
        for (i, x) in pixels.enumerated() where i < probabilities.count {
            probabilities[i] = min(1, max(0, x)) * scale
        }
    }

    /// Appends the inputs firing in this step to `spikes` (one uniform draw per input).
    @inline(__always)
    public func emit(rng: inout RNG, into spikes: inout SpikeBuffer) {
        for i in 0..<probabilities.count {
            let p = probabilities[i]
            if p > 0 && rng.uniform() < p { spikes.append(Int32(i)) }
        }
    }
}
