/// The characters widgets plot with: braille and block elements, or a pure-ASCII fallback.
public struct GlyphSet: Sendable, Hashable {
    /// Plots use 2 x 4 braille dots per cell; otherwise 1 x 2 ASCII dots (see `asciiDots`).
    public var usesBraille: Bool
    /// Heatmaps use "▀" half blocks (two pixels per cell); otherwise `densityRamp`, one per cell.
    public var usesHalfBlocks: Bool
    /// Vertical bar tops from empty to full in eighths (9 entries).
    public var verticalEighths: [Character]
    /// Horizontal bar ends from empty to full in eighths (9 entries).
    public var horizontalEighths: [Character]
    /// From light to dense, for ASCII heatmaps.
    public var densityRamp: [Character]
    /// ASCII plot dots by mask: [none, upper, lower, both].
    public var asciiDots: [Character]
    public var halfBlockUpper: Character
    public var halfBlockLower: Character
    public var gaugeEmpty: Character
    public var axisVertical: Character
    public var axisHorizontal: Character
    public var axisCorner: Character
    /// Where a labelled tick meets the vertical axis.
    public var axisTick: Character
    /// The vertical marker line in charts.
    public var marker: Character
    /// Drawn before a legend entry's name.
    public var legendSwatch: Character
    /// Marks truncated text.
    public var ellipsis: Character

    public init(usesBraille: Bool, usesHalfBlocks: Bool, verticalEighths: [Character],
                horizontalEighths: [Character], densityRamp: [Character], asciiDots: [Character],
                halfBlockUpper: Character, halfBlockLower: Character, gaugeEmpty: Character, axisVertical: Character,
                axisHorizontal: Character, axisCorner: Character, axisTick: Character, marker: Character,
                legendSwatch: Character, ellipsis: Character) {
        self.usesBraille = usesBraille
        self.usesHalfBlocks = usesHalfBlocks
        self.verticalEighths = verticalEighths
        self.horizontalEighths = horizontalEighths
        self.densityRamp = densityRamp
        self.asciiDots = asciiDots
        self.halfBlockUpper = halfBlockUpper
        self.halfBlockLower = halfBlockLower
        self.gaugeEmpty = gaugeEmpty
        self.axisVertical = axisVertical
        self.axisHorizontal = axisHorizontal
        self.axisCorner = axisCorner
        self.axisTick = axisTick
        self.marker = marker
        self.legendSwatch = legendSwatch
        self.ellipsis = ellipsis
    }

    /// Braille dots, block elements and box drawing.
    public static let braille = GlyphSet(
        usesBraille: true, usesHalfBlocks: true,
        verticalEighths: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontalEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        densityRamp: Array(" .:-=+*#%@"), asciiDots: [" ", "'", ".", ":"],
        halfBlockUpper: "▀", halfBlockLower: "▄", gaugeEmpty: "·", axisVertical: "│", axisHorizontal: "─", axisCorner: "└", axisTick: "┤",
        marker: "┊", legendSwatch: "■", ellipsis: "…")

    /// Printable ASCII only (for terminals and fonts without braille or blocks).
    public static let ascii = GlyphSet(
        usesBraille: false, usesHalfBlocks: false,
        verticalEighths: [" ", " ", "_", "_", "=", "=", "#", "#", "#"],
        horizontalEighths: [" ", " ", " ", "-", "-", "=", "=", "#", "#"],
        densityRamp: Array(" .:-=+*#%@"), asciiDots: [" ", "'", ".", ":"],
        halfBlockUpper: "#", halfBlockLower: "#", gaugeEmpty: ".", axisVertical: "|", axisHorizontal: "-", axisCorner: "+", axisTick: "+",
        marker: "|", legendSwatch: "*", ellipsis: "~")
}
