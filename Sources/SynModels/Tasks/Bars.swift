import SynCore

/// Földiák's bars (1990): a `side x side` binary image in which each of the 2 side possible
/// bars (bar b < side is row b, bar side + c is column c) is on independently with probability
/// p; a pixel is 1 where any bar covers it. The bars are the independent causes of the images,
/// which a sparse-coding network should discover one unit per bar.
public struct Bars: Sendable, Equatable {
    /// Image side length (pixels).
    public let side: Int
    /// Probability p that a bar is on (Földiák: 1/8 for 8x8 images).
    public let probability: Double

    public init(side: Int, probability: Double) {
        precondition(side >= 1 && probability >= 0 && probability <= 1)
        self.side = side
        self.probability = probability
    }

    /// Number of bars, 2 side.
    public var count: Int { 2 * side }
    /// Pixels per image, side^2.
    public var pixels: Int { side * side }

    /// The pixel index of position k (0..<side) along bar b.
    @inlinable public func pixel(bar b: Int, at k: Int) -> Int {
        b < side ? b * side + k : k * side + (b - side)
    }

    /// Draws one image into `x` (count side^2); `on(b)` is called for each bar that is on.
    /// One Bernoulli draw per bar, in bar order. No allocation.
    public func sample(into x: inout [Float], rng: inout RNG, on: (Int) -> Void = { _ in }) {
        for j in 0..<pixels { x[j] = 0 }
        for b in 0..<count where rng.bernoulli(probability) {
            on(b)
            for k in 0..<side { x[pixel(bar: b, at: k)] = 1 }
        }
    }

    /// The exact pixel covariance: with q = P(pixel on) = 1 - (1 - p)^2, two pixels in one row
    /// (or column) are both on with probability p + (1 - p) p^2, pixels sharing no bar with q^2.
    public var covariance: Matrix {
        let p = probability, q = 1 - (1 - p) * (1 - p)
        let shared = p + (1 - p) * p * p
        return Matrix(rows: pixels, cols: pixels) { a, b in
            let (ra, ca, rb, cb) = (a / side, a % side, b / side, b % side)
            let both = a == b ? q : (ra == rb || ca == cb ? shared : q * q)
            return Float(both - q * q)
        }
    }
}
