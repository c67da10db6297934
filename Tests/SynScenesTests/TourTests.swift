import Testing
import SynCore
@testable import SynScenes

/// `[[tour]]` stops: decoded with their places, refused with one line naming the key.
@Suite struct TourTests {
    static func load(_ tour: String) throws -> SceneSpec {
        // oja without its own tour.
        var base = try FileIOShim.read(scenePath("oja"))
        let text = String(decoding: base, as: UTF8.self)
        if let r = text.range(of: "\n# A guided tour") { base = Array(text[..<r.lowerBound].utf8) }
        return try SceneLoader.parse(bytes: base + Array(("\n" + tour).utf8), file: "t.toml")
    }

    @Test func stopsDecode() throws {
        let spec = try Self.load("""
            [[tour]]
            at_step = 5
            panel = "|w|"
            text = "look"
            key = "r"
            [[tour]]
            when = "alignment >= 0.9"
            pause = false
            text = "there"
            """)
        #expect(spec.tour.count == 2)
        #expect(spec.tour[0] == TourStop(place: .step(5), pause: true, panel: "|w|", text: "look", key: "r"))
        #expect(spec.tour[1].place == .when(.init(metric: "alignment", comparison: .greaterOrEqual, value: 0.9)))
        #expect(spec.tour[1].pause == false)
        #expect(TourStop.Condition(metric: "a", comparison: .less, value: 1).holds(0.5))
        #expect(!TourStop.Condition(metric: "a", comparison: .less, value: 1).holds(.nan))
    }

    @Test(arguments: [
        ("[[tour]]\ntext = \"x\"", "tour[0]: expected exactly one of at_step, when"),
        ("[[tour]]\nat_step = 1\nwhen = \"alignment > 1\"\ntext = \"x\"", "expected exactly one of at_step, when"),
        ("[[tour]]\nwhen = \"nope > 1\"\ntext = \"x\"", "tour[0].when: expected \"METRIC OP NUMBER\""),
        ("[[tour]]\nat_step = 1\npanel = \"nope\"\ntext = \"x\"", "tour[0].panel:"),
        ("[[tour]]\nat_step = -1\ntext = \"x\"", "tour[0].at_step:"),
        ("[[tour]]\nat_step = 1\ntext = \"x\"\npuase = true", "tour[0].puase: unknown key"),
    ])
    func badStopsAreOneLine(_ tour: String, _ expected: String) {
        do {
            _ = try Self.load(tour)
            Issue.record("accepted: \(tour)")
        } catch {
            let text = String(describing: error)
            #expect(text.contains(expected), "\(text)")
            #expect(!text.contains("\n"))
        }
    }
}

/// Reads a file for the tests (SynCore's reader, errors as a test failure).
enum FileIOShim {
    static func read(_ path: String) throws -> [UInt8] {
        do throws(FileIOError) { return try FileIO.read(path) } catch { throw error }
    }
}
