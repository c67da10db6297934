/// A colour map: numbers in [0, 1] to colours, by linear interpolation between RGB stops.
///
/// Themes hold maps as data. For 16-colour themes `paletteIndices` makes the map stepped: t picks
/// one of the listed palette entries (so the terminal's own palette is used, not RGB guesses).
public struct Colormap: Sendable, Hashable {
    public var name: String
    /// Evenly spaced stops from t = 0 to t = 1.
    public var stops: [RGB]
    /// When set, the map returns `.indexed(paletteIndices[k])` for the k-th of equal bins of t.
    public var paletteIndices: [UInt8]?

    public init(name: String, stops: [RGB], paletteIndices: [UInt8]? = nil) {
        self.name = name
        self.stops = stops.isEmpty ? [RGB(0, 0, 0), RGB(255, 255, 255)] : stops
        self.paletteIndices = paletteIndices.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A stepped map over palette entries; `stops` become their RGB values for reference.
    public init(name: String, palette indices: [UInt8]) {
        self.init(name: name, stops: indices.map { Palette.rgb(ofIndex: $0) }, paletteIndices: indices)
    }

    /// The colour at `t` (clamped to [0, 1]; NaN counts as 0).
    public func color(at t: Double) -> Color {
        let t = t.isNaN ? 0 : min(max(t, 0), 1)
        if let indices = paletteIndices {
            let k = min(Int(t * Double(indices.count)), indices.count - 1)
            return .indexed(indices[k])
        }
        guard stops.count > 1 else { return Color(stops[0]) }
        let position = t * Double(stops.count - 1)
        let k = min(Int(position), stops.count - 2)
        return Color(stops[k].mixed(with: stops[k + 1], position - Double(k)))
    }

    /// Perceptually uniform dark-purple to yellow (matplotlib's viridis, 9 stops).
    public static let viridis = Colormap(name: "viridis", stops: [
        RGB(0x44, 0x01, 0x54), RGB(0x47, 0x2D, 0x7B), RGB(0x3B, 0x52, 0x8B), RGB(0x2C, 0x72, 0x8E),
        RGB(0x21, 0x91, 0x8C), RGB(0x28, 0xAE, 0x80), RGB(0x5E, 0xC9, 0x62), RGB(0xAD, 0xDC, 0x30),
        RGB(0xFD, 0xE7, 0x25),
    ])

    /// Blue (negative) through near-black (zero) to orange (positive): colour-blind safe, and zero
    /// weights fade into a dark terminal background.
    public static let blueOrange = Colormap(name: "blue-orange", stops: [
        RGB(150, 205, 255), RGB(60, 140, 225), RGB(30, 70, 140), RGB(28, 28, 32),
        RGB(140, 70, 10), RGB(230, 130, 20), RGB(255, 205, 120),
    ])
}
