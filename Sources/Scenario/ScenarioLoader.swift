/// Turns scenario files into validated `Scenario`s (docs/scenarios.md).
///
/// The order is: compose the YAML into a tree, apply overrides to the tree in order,
/// then read and check every value. Overrides act on the tree, not on the `Scenario`, so
/// that `--set peers.crowd.arrival={poisson: {rate: 2/s}}` gets exactly the checks and
/// error messages the same text in the file would.
public enum ScenarioLoader {
    /// Reads, parses, applies `overrides` in order and validates the scenario at `path`.
    public static func load(path: String, overrides: [Override] = []) throws(ScenarioError) -> Scenario {
        switch TextFile.read(path) {
        case .failure(let failure):
            throw ScenarioError(file: path, line: nil, keyPath: "", message: "cannot read file (\(failure.reason))")
        case .success(let text):
            return try parse(yaml: text, file: path, overrides: overrides)
        }
    }

    /// Parses scenario text; `file` names it in errors and anchors relative paths.
    ///
    /// Every variant and every sweep value is applied and checked too, so that a broken
    /// variant fails `btsim check` instead of the last run of a long `compare`. A scenario
    /// derived with variant or sweep overrides has no variants or sweep of its own.
    public static func parse(yaml: String, file: String, overrides: [Override] = []) throws(ScenarioError) -> Scenario {
        let source = ScenarioSource(file: file, text: yaml, overrides: overrides)
        let scenario = try read(source)
        if !isDerived(source) { try checkVariantsAndSweep(of: scenario, source: source) }
        return scenario
    }

    /// `base` with more overrides applied after its own, re-parsed from its source text.
    public static func applying(_ overrides: [Override], to base: Scenario) throws(ScenarioError) -> Scenario {
        guard let source = base.source else {
            throw ScenarioError(
                file: base.name, line: nil, keyPath: "",
                message: "this scenario was not parsed from a file, so overrides cannot be applied")
        }
        return try parse(yaml: source.text, file: source.file, overrides: source.overrides + overrides)
    }

    /// The scenario `variant` describes: `base` with the variant's `set:` applied.
    public static func scenario(for variant: Variant, of base: Scenario) throws(ScenarioError) -> Scenario {
        try applying(variant.overrides, to: base)
    }

    /// The scenario at one point of the sweep grid (see `Scenario.sweepPoints`).
    public static func scenario(atSweepPoint point: [Override], of base: Scenario) throws(ScenarioError) -> Scenario {
        try applying(point, to: base)
    }

    // MARK: Internals

    private static func read(_ source: ScenarioSource) throws(ScenarioError) -> Scenario {
        let context = ParseContext(file: source.file)
        var root = try tree(of: source, context: context)
        if isDerived(source) { root.removeEntries(["variants", "sweep"]) }
        var scenario = try context.scenario(root)
        scenario.source = source
        return scenario
    }

    /// The file's tree with every override applied, in order.
    static func tree(of source: ScenarioSource, context: ParseContext) throws(ScenarioError) -> YAMLNode {
        var root = try compose(source, context: context)
        for override in source.overrides {
            try OverrideApplier(override: override, context: context).apply(to: &root)
        }
        return root
    }

    private static func compose(_ source: ScenarioSource, context: ParseContext) throws(ScenarioError) -> YAMLNode {
        let root: YAMLNode?
        do throws(ComposeProblem) {
            root = try YAMLComposer.compose(source.text) { line in .file(line: line) }
        } catch {
            throw ScenarioError(
                file: source.file, line: error.line, keyPath: "", message: plainer(error, in: source.text))
        }
        guard let root, !root.isNull else {
            throw ScenarioError(
                file: source.file, line: nil, keyPath: "",
                message: "the file is empty; a scenario needs at least name, duration, torrent and peers")
        }
        guard case .mapping = root.kind else {
            // Checked before overrides, which could only complain about the same thing less clearly.
            throw context.error(
                "expected a mapping of scenario keys (name, duration, torrent, peers, ...) at the top level, got \(root.kindName)",
                at: root, path: .root)
        }
        return root
    }

    /// libyaml's message, or a plain one for the mistake behind most of them: a tab in the
    /// indentation of the line it stopped at (YAML indents with spaces only).
    private static func plainer(_ problem: ComposeProblem, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = problem.line, line >= 1, line <= lines.count,
            lines[line - 1].prefix(while: { $0 == " " || $0 == "\t" }).contains("\t")
        else { return problem.message }
        return
            "YAML syntax error: this line is indented with a tab; YAML indents with spaces only (replace the tab with spaces)"
    }

    /// Variant and sweep scenarios are leaves: they drop their own variants and sweep,
    /// which also keeps checking them from recursing.
    private static func isDerived(_ source: ScenarioSource) -> Bool {
        source.overrides.contains { $0.origin != .commandLine }
    }

    private static func checkVariantsAndSweep(of scenario: Scenario, source: ScenarioSource) throws(ScenarioError) {
        for variant in scenario.variants {
            _ = try read(
                ScenarioSource(file: source.file, text: source.text, overrides: source.overrides + variant.overrides))
        }
        let points =
            scenario.sweepList.isEmpty
            ? scenario.sweep.flatMap { axis in
                axis.values.map { [Override(path: axis.path, value: $0, origin: .sweep(line: axis.line))] }
            } : scenario.sweepList
        for point in points {
            _ = try read(ScenarioSource(file: source.file, text: source.text, overrides: source.overrides + point))
        }
    }
}
