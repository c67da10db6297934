import ArgumentParser
import SynApp
import SynScenes
import TerminalBackend
import TUICore

/// `synaptop render SCENE`: steps a scene headless and prints one dashboard frame as text.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step a scene headless and print one dashboard frame as text (no terminal needed).",
        discussion: "For docs, bug reports and golden tests. The frame shows the paused dashboard after --steps steps."
    )

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file.")
    var scene: String

    @Option(name: .long, help: "Steps to run before drawing.")
    var steps: Int = 0

    @OptionGroup var options: SceneOptions
    @OptionGroup var threading: ThreadOptions

    @Option(name: .long, help: "Frame size in cells, WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Flag(name: .long, help: "ASCII glyphs only.")
    var ascii = false

    @Flag(name: .long, help: "Include ANSI colour codes (24-bit unless --colors says otherwise).")
    var ansi = false

    @Option(name: .long, help: "Colours for --ansi: truecolor, 256, 16 or none.")
    var colors: ColorRequest = .truecolor

    func validate() throws {
        guard (0...1_000_000_000).contains(steps) else {
            throw ValidationError("--steps: expected an integer in [0, 1000000000], got \(steps)")
        }
        guard let s = TerminalSize(parsing: size), s.width <= 1000, s.height <= 500 else {
            throw ValidationError("--size \(size): expected WIDTHxHEIGHT with 1...1000 columns and 1...500 rows, e.g. 120x40")
        }
    }

    func run() throws {
        let spec = try options.load(scene)
        let frameSize = TerminalSize(parsing: size) ?? TerminalSize(width: 120, height: 40)
        let mode: ColorMode = switch colors {
        case .auto, .truecolor: .truecolor
        case .palette256: .palette256
        case .palette16: .palette16
        case .none: .monochrome
        }
        let threads = try threading.applyThreads()
        let buffer: Buffer
        do throws(SceneError) {
            buffer = try HeadlessFrame.render(spec: spec, seed: options.seed, steps: steps, size: frameSize, ascii: ascii,
                                              colorMode: mode, threads: threads)
        } catch { throw CLIError(error.description) }
        if ansi {
            print(buffer.renderANSI(colorMode: mode), terminator: "")
        } else {
            print(buffer.plainText)
        }
    }
}
