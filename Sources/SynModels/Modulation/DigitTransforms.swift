#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Deterministic input shifts of the 8x8 digits used by the modulation scenes (science
/// README, "Data and task transforms"): bilinear rotation (page 12) and the covariate shift
/// x' = clip(a x + b + N(0, s²), 0, 1) (page 2). Pixels are in [0, 1].
public enum DigitTransforms {
    /// The image rotated by `degrees` (counter-clockwise as drawn, rows downward) about the
    /// centre (3.5, 3.5) of a `side` x `side` image, by bilinear interpolation; source points
    /// outside the image read 0.
    public static func rotated(_ image: ArraySlice<Float>, degrees: Double, side: Int = 8) -> [Float] {
        let img = Array(image)
        precondition(img.count == side * side)
        let phi = degrees * .pi / 180, c = cos(phi), s = sin(phi), mid = Double(side - 1) / 2
        func pixel(_ r: Int, _ col: Int) -> Double {
            r >= 0 && r < side && col >= 0 && col < side ? Double(img[r * side + col]) : 0
        }
        var out = [Float](repeating: 0, count: side * side)
        for r in 0..<side {
            for col in 0..<side {
                // Inverse map: the output pixel reads the source point rotated back by -phi.
                let x = Double(col) - mid, y = mid - Double(r)
                let sx = c * x + s * y + mid, sy = mid - (-s * x + c * y)
                let r0 = Int(sy.rounded(.down)), c0 = Int(sx.rounded(.down))
                let fy = sy - Double(r0), fx = sx - Double(c0)
                let v = (1 - fy) * ((1 - fx) * pixel(r0, c0) + fx * pixel(r0, c0 + 1))
                    + fy * ((1 - fx) * pixel(r0 + 1, c0) + fx * pixel(r0 + 1, c0 + 1))
                out[r * side + col] = Float(v)
            }
        }
        return out
    }

    /// Every image of `data` rotated by `degrees` (labels kept).
    public static func rotated(_ data: Dataset, degrees: Double) -> Dataset {
        let side = data.imageShape?.cols ?? 8
        var storage: [Float] = []
        storage.reserveCapacity(data.x.storage.count)
        for i in 0..<data.count { storage += rotated(data.sample(i), degrees: degrees, side: side) }
        return Dataset(x: Matrix(rows: data.count, cols: data.features, storage: storage), labels: data.labels,
                       classes: data.classes, imageShape: data.imageShape)
    }

    /// x' = clip(a x + b + s ε, 0, 1) with ε ~ N(0, 1) drawn from `rng`, elementwise in place.
    public static func covariateShift(_ x: inout [Float], a: Float, b: Float, s: Float, rng: inout RNG) {
        for k in x.indices { x[k] = min(1, max(0, a * x[k] + b + s * rng.normal())) }
    }
}
