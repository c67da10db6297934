import Testing
@testable import SynScenes

/// Bad scene files give one clear line naming the file, key and accepted range; nothing crashes.
@Suite struct BadSceneTests {
    static let valid = """
        title = "t"
        model = "hebbian"
        [network]
        outputs = 1
        [rule]
        name = "oja"
        eta = 0.01
        [task]
        name = "lowrank_gaussian"
        variances = [2.0, 1.0]
        """

    @Test func validSceneParses() {
        #expect(sceneError(Self.valid) == nil)
    }

    @Test func syntaxErrorNamesLineAndColumn() throws {
        let e = try #require(sceneError("title = \"t\"\nmodel = = \"hebbian\"\n"))
        #expect(e.hasPrefix("scenes/x.toml:2:"))
        #expect(e.contains("TOML syntax error"))
        #expect(!e.contains("\n"))
    }

    @Test func wrongType() {
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = \"fast\""))
                == "scenes/x.toml: rule.eta: expected a number in (0, 10], got a string \"fast\"")
    }

    @Test func outOfRange() {
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = -1"))
                == "scenes/x.toml: rule.eta: expected a number in (0, 10], got -1")
    }

    @Test func unknownKeySuggestsTheNearestKnownKey() {
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = 0.01\netta = 2"))
                == "scenes/x.toml: rule.etta: unknown key, did you mean \"eta\"?")
        #expect(sceneError(Self.valid + "\n[metrcs]\nevery = 10\n")
                == "scenes/x.toml: metrcs: unknown key, did you mean \"metrics\"?")
    }

    @Test func missingRequiredKey() {
        #expect(sceneError(Self.valid.replacingOccurrences("outputs = 1\n", ""))
                == "scenes/x.toml: network.outputs: missing required key (expected an integer in [1, 1024])")
        // Rule parameters are optional: each rule has its own defaults.
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01\n", "")) == nil)
        #expect(sceneError(Self.valid.replacingOccurrences("title = \"t\"\n", ""))
                == "scenes/x.toml: title: missing required key")
    }

    @Test func unknownRuleSuggestsAKnownRule() {
        #expect(sceneError(Self.valid.replacingOccurrences("name = \"oja\"", "name = \"ojas\""))
                == "scenes/x.toml: rule.name: unknown hebbian rule \"ojas\", did you mean \"oja\"? (one of: hebb, oja, subspace, sanger, bcm, foldiak, softhebb, covariance)")
        // A parameter of a rule the scene does not use names the rule that takes it.
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = 0.01\ntau = 5"))
                == "scenes/x.toml: rule.tau: is a parameter of bcm, not of oja (the rules this scene switches between)")
        // A sub-table sets a parameter for one rule only, checked against that rule's range.
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "switchable = [\"oja\", \"bcm\"]\n[rule.bcm]\ntau = 0.5"))
                == "scenes/x.toml: rule.bcm.tau: expected a number in [1, 1000000], got 0.5")
        // A table for a registered rule that is not listed is checked, then ignored (so
        // `--set rule.switchable=...` keeps a scene with per-rule tables loadable).
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "[rule.bcm]\ntau = 50")) == nil)
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "[rule.bcm]\ntua = 50"))
                == "scenes/x.toml: rule.bcm.tua: unknown key, did you mean \"tau\"?")
    }

    @Test func unknownModel() throws {
        let e = try #require(sceneError(Self.valid.replacingOccurrences("model = \"hebbian\"", "model = \"hebian\"")))
        #expect(e.hasPrefix("scenes/x.toml: model: unknown value \"hebian\", did you mean \"hebbian\"?"))
    }

    @Test func nanAndInfinityAreRejected() {
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = nan"))
                == "scenes/x.toml: rule.eta: expected a number in (0, 10], got nan")
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = inf"))
                == "scenes/x.toml: rule.eta: expected a number in (0, 10], got inf")
    }

    @Test func hugeSizesAreRejectedWithTheLimit() {
        #expect(sceneError(Self.valid.replacingOccurrences("outputs = 1", "outputs = 100000000000"))
                == "scenes/x.toml: network.outputs: expected an integer in [1, 1024], got 100000000000")
        let big = "[" + Array(repeating: "1.0", count: 5000).joined(separator: ",") + "]"
        #expect(sceneError(Self.valid.replacingOccurrences("[2.0, 1.0]", big))
                == "scenes/x.toml: task.variances: expected 1...4096 entries, got 5000")
    }

    @Test func emptyFile() {
        #expect(sceneError("") == "scenes/x.toml: empty scene file (expected TOML with at least title and model)")
        #expect(sceneError("  \n\n") != nil)
    }

    @Test func binaryGarbage() {
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]
        var g: UInt64 = 12345
        for _ in 0..<256 { g = g &* 6364136223846793005 &+ 1; bytes.append(UInt8(truncatingIfNeeded: g >> 33)) }
        do {
            _ = try SceneLoader.parse(bytes: bytes, file: "scenes/x.toml")
            Issue.record("garbage parsed")
        } catch {
            #expect(error.description == "scenes/x.toml: not a text file (contains NUL bytes); expected a TOML scene")
        }
        let invalidUTF8: [UInt8] = Array("title = \"".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8)
        do { _ = try SceneLoader.parse(bytes: invalidUTF8, file: "scenes/x.toml"); Issue.record("invalid UTF-8 parsed") } catch {
            #expect(error.description == "scenes/x.toml: not valid UTF-8 text; expected a TOML scene")
        }
    }

    @Test func crossKeyConstraints() {
        #expect(sceneError(Self.valid.replacingOccurrences("eta = 0.01", "eta = 0.01\nswitchable = [\"hebb\"]"))
                == "scenes/x.toml: rule.switchable: must contain the starting rule \"oja\", got [hebb]")
        #expect(sceneError(Self.valid.replacingOccurrences("outputs = 1", "outputs = 3"))
                == "scenes/x.toml: network.outputs: expected an integer in [1, 2] (at most the input dimension), got 3")
    }

    @Test func panelsAreValidatedAgainstTheModel() {
        #expect(sceneError(Self.valid + "\n[[panel]]\nchart = [\"alignmnet\"]\n")
                == "scenes/x.toml: panel[0].chart: unknown value \"alignmnet\", did you mean \"alignment\"? (one of: alignment, subspace_alignment, weight_norm, orthonormality_error)")
        #expect(sceneError(Self.valid + "\n[[panel]]\nview = \"weights\"\nchart = [\"alignment\"]\n")
                == "scenes/x.toml: panel[0]: expected exactly one of chart, view, teaching, sparklines; got chart, view")
        #expect(sceneError(Self.valid + "\n[[panel]]\nteaching = false\n")
                == "scenes/x.toml: panel[0].teaching: expected true (to go without the teaching panel, leave this [[panel]] out), got false")
        #expect(sceneError(Self.valid + "\n[[panel]]\nteaching = true\n") == nil)
    }

    @Test func overridesAreValidatedLikeTheFile() {
        #expect(sceneError(Self.valid, overrides: ["rule.eta=0.5"]) == nil)
        #expect(sceneError(Self.valid, overrides: ["rule.eta=20"])
                == "scenes/x.toml: rule.eta: expected a number in (0, 10], got 20")
        #expect(sceneError(Self.valid, overrides: ["rule.etaa=0.5"])
                == "scenes/x.toml: rule.etaa: unknown key, did you mean \"eta\"?")
        #expect(sceneError(Self.valid, overrides: ["rule.name=hebb"]) == nil)
        #expect(sceneError(Self.valid, overrides: ["noequals"]) == "scenes/x.toml: --set noequals: expected key=value, e.g. --set rule.eta=0.02")
    }

    @Test func missingFileIsOneLine() {
        do { _ = try SceneLoader.load(path: "/nonexistent/x.toml"); Issue.record("loaded") } catch {
            #expect(error.description == "/nonexistent/x.toml: cannot open /nonexistent/x.toml: No such file or directory")
        }
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

@Suite struct RuleListTests {
    /// Every model reads `[rule] name` / `switchable` the same way: the list must contain the
    /// starting rule and name no rule twice (a spiking scene, checked against the one reader).
    @Test func switchableMustContainTheStartAndNoDuplicates() throws {
        let path = scenePath("stdp-song2000")
        do { _ = try SceneLoader.load(path: path, overrides: ["rule.switchable=[\"triplet\"]"]); Issue.record("loaded") } catch {
            #expect(error.description == "\(path): rule.switchable: must contain the starting rule \"additive\", got [triplet]")
        }
        do { _ = try SceneLoader.load(path: path, overrides: ["rule.switchable=[\"additive\", \"additive\"]"]); Issue.record("loaded") } catch {
            #expect(error.description == "\(path): rule.switchable: lists a rule twice")
        }
    }
}

@Suite struct PanelMetricTests {
    /// A panel charting a metric of another task of the same model is dropped with a note
    /// (so `--set task.name=...` keeps the scene loadable); an unknown metric is still an error.
    @Test func panelsWithAnotherTasksMetricAreDroppedWithANote() throws {
        let base = """
            title = "t"
            model = "hebbian"
            [network]
            outputs = 2
            [rule]
            name = "oja"
            [task]
            name = "lowrank_gaussian"
            variances = [2.0, 1.0]
            [[panel]]
            chart = ["bar_selectivity", "alignment"]
            [[panel]]
            chart = ["output_correlation"]
            """
        let spec = try SceneLoader.parse(bytes: Array(base.utf8), file: "x.toml")
        #expect(spec.panels.count == 1)
        #expect(spec.panels.first?.content == .chart(metrics: ["alignment"], logY: false, range: nil))
        #expect(spec.notes == [
            "x.toml: panel[0].chart: metric bar_selectivity is not produced by this configuration (its task); dropped from the panel",
            "x.toml: panel[1].chart: metric output_correlation is not produced by this configuration (its task); dropped from the panel",
        ])
        let typo = base.replacingOccurrences(of: "\"alignment\"]", with: "\"alignmnt\"]")
        #expect(sceneError(typo)?.contains("unknown value \"alignmnt\", did you mean \"alignment\"?") == true)
    }
}
