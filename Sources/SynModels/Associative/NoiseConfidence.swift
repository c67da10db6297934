/// Over-confidence on pure noise, the "white-noise static" probe of bidirectional learning
/// (Pontes-Filho & Liwicki 2019, paper code): from each image's largest softmax output
/// m = max_k p_k(x),
///
///     ratio     = max over noise images of m / max over test images of m   (the paper's number)
///     meanRatio = mean over noise images of m / mean over test images of m (steadier readout)
///
/// Lower is less confident on noise; 1 means noise gets the confidence of real digits. NaN when
/// a set is empty (undefined, never a fake 0).
public struct NoiseConfidence: Sendable, Equatable {
    public var ratio: Double
    public var meanRatio: Double

    public init(ratio: Double, meanRatio: Double) {
        self.ratio = ratio
        self.meanRatio = meanRatio
    }

    /// The ratios from the per-image maxima of the noise and the test images.
    public init(noiseMaxima: [Float], testMaxima: [Float]) {
        guard !noiseMaxima.isEmpty, !testMaxima.isEmpty else {
            self.init(ratio: .nan, meanRatio: .nan)
            return
        }
        let maxNoise = Double(noiseMaxima.max() ?? 0), maxTest = Double(testMaxima.max() ?? 0)
        let meanNoise = noiseMaxima.reduce(0.0) { $0 + Double($1) } / Double(noiseMaxima.count)
        let meanTest = testMaxima.reduce(0.0) { $0 + Double($1) } / Double(testMaxima.count)
        self.init(ratio: maxTest > 0 ? maxNoise / maxTest : .nan, meanRatio: meanTest > 0 ? meanNoise / meanTest : .nan)
    }
}
