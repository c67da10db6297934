import Testing
@testable import SynScenes

@Suite struct SceneReaderTests {
    func reader(_ toml: String) throws -> SceneReader {
        SceneReader(try TOMLSceneParser.parse(toml, file: "x.toml"), file: "x.toml")
    }

    @Test func outOfRangeNamesFileKeyAndRange() throws {
        var r = try reader("[rule]\neta = -1\n")
        var rule = try r.table("rule")
        #expect(throws: SceneError(file: "x.toml", key: "rule.eta", message: "expected a number in (0, 10], got -1")) {
            _ = try rule.number("eta", in: .openClosed(0, 10))
        }
        #expect(SceneError(file: "x.toml", key: "rule.eta", message: "expected a number in (0, 10], got -1").description
                == "x.toml: rule.eta: expected a number in (0, 10], got -1")
    }

    @Test func unknownKeySuggestsNearest() throws {
        var r = try reader("etta = 1\n")
        _ = try r.number("eta", in: .closed(0, 1), default: 0.5)
        do { try r.finish(); Issue.record("expected an error") } catch {
            #expect(error.description == "x.toml: etta: unknown key, did you mean \"eta\"?")
        }
    }

    /// Lists of integers accept whole-number floats like a single integer does, and nothing else.
    @Test func integerListsAcceptWholeNumberFloatsLikeIntegers() throws {
        var r = try reader("a = 100.0\nb = [100.0, 7]\nc = [1.5]\n")
        #expect(try r.integer("a", in: 1...4096) == 100)
        #expect(try r.integers("b", in: 1...4096) == [100, 7])
        #expect(throws: SceneError(file: "x.toml", key: "c", message: "expected integers in [1, 4096], got 1.5")) {
            _ = try r.integers("c", in: 1...4096)
        }
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        do { _ = try TOMLSceneParser.parse("a = 1\nb = = 2\n", file: "x.toml"); Issue.record("expected an error") } catch {
            #expect(error.file.hasPrefix("x.toml:2:"))
        }
    }
}
