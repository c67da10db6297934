/// Unicode braille patterns (U+2800-U+28FF) as a 2 x 4 dot grid per cell.
///
/// Dot (dx, dy), with dx in 0...1 left to right and dy in 0...3 top to bottom, sets one bit:
///
///     dx=0  dx=1
///     0x01  0x08   dy=0
///     0x02  0x10   dy=1
///     0x04  0x20   dy=2
///     0x40  0x80   dy=3
public enum Braille {
    /// Dots per cell horizontally and vertically.
    public static let dotsWide = 2
    public static let dotsHigh = 4

    private static let bits: [UInt8] = [0x01, 0x02, 0x04, 0x40, 0x08, 0x10, 0x20, 0x80]

    /// The bit for dot (dx, dy); 0 outside the 2 x 4 grid.
    public static func bit(dx: Int, dy: Int) -> UInt8 {
        guard (0..<2).contains(dx), (0..<4).contains(dy) else { return 0 }
        return bits[dx * 4 + dy]
    }

    /// The braille character showing the dots in `mask` (0 gives the blank pattern U+2800).
    public static func character(_ mask: UInt8) -> Character {
        Character(Unicode.Scalar(0x2800 + UInt32(mask)) ?? " ")
    }
}
