import SynCore

extension MLPLayout {
    /// Parameters for ReLU layers: weights N(0, 2 / fan_in) (He et al. 2015), biases 0.
    public func heInitialised(rng: inout RNG) -> [Float] {
        var theta = [Float](repeating: 0, count: paramCount)
        for l in 0..<layers {
            let sd = (2 / Float(sizes[l])).squareRoot()
            for k in 0..<weightCount(l) { theta[wOffset[l] + k] = rng.normal() * sd }
        }
        return theta
    }
}
